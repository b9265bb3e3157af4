/*
 * acl_firewall: a transparent (bump-in-the-wire) IPv4 firewall for P4TC.
 *
 * Frames are bridged between port pairs by `port_map` (input port -> output
 * port). IPv4 packets must first be permitted by `acl`, a ternary table on
 * the 5-tuple (addresses, protocol, TCP/UDP ports) whose entries carry
 * explicit priorities (the lowest value wins where entries overlap). What no
 * entry matches is denied. A DirectCounter counts the hits of every entry.
 *
 * ARP is bridged without a lookup so hosts can resolve each other; other
 * non-IPv4 EtherTypes are dropped. Non-first fragments and protocols other
 * than TCP and UDP are matched with ports 0.
 */
#include <core.p4>
#include <tc/pna.p4>

header ethernet_t {
    @tc_type("macaddr") bit<48> dst_addr;
    @tc_type("macaddr") bit<48> src_addr;
    bit<16> ether_type;
}

header ipv4_t {
    bit<4>  version;
    bit<4>  ihl;
    bit<8>  diffserv;
    bit<16> total_len;
    bit<16> identification;
    bit<3>  flags;
    bit<13> frag_offset;
    bit<8>  ttl;
    bit<8>  protocol;
    bit<16> hdr_checksum;
    @tc_type("ipv4") bit<32> src_addr;
    @tc_type("ipv4") bit<32> dst_addr;
}

/* The first four bytes of a TCP or UDP header. */
header l4_ports_t {
    bit<16> src_port;
    bit<16> dst_port;
}

struct headers_t {
    ethernet_t eth;
    ipv4_t     ipv4;
    l4_ports_t ports;
}

struct metadata_t {
}

const bit<16> ETHERTYPE_IPV4 = 0x0800;
const bit<16> ETHERTYPE_ARP  = 0x0806;
const bit<8>  IPPROTO_TCP = 6;
const bit<8>  IPPROTO_UDP = 17;

parser FirewallParser(packet_in pkt,
                      out headers_t hdr,
                      inout metadata_t meta,
                      in pna_main_parser_input_metadata_t istd) {
    state start {
        pkt.extract(hdr.eth);
        transition select(hdr.eth.ether_type) {
            ETHERTYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }
    state parse_ipv4 {
        pkt.extract(hdr.ipv4);
        // Only a first fragment without IP options has the ports right here.
        transition select(hdr.ipv4.ihl, hdr.ipv4.frag_offset, hdr.ipv4.protocol) {
            (5, 0, IPPROTO_TCP): parse_ports;
            (5, 0, IPPROTO_UDP): parse_ports;
            default: accept;
        }
    }
    state parse_ports {
        pkt.extract(hdr.ports);
        transition accept;
    }
}

control FirewallControl(inout headers_t hdr,
                        inout metadata_t meta,
                        in pna_main_input_metadata_t istd,
                        inout pna_main_output_metadata_t ostd) {
    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS_AND_BYTES) acl_hits;

    bool permitted = false;

    action permit() {
        acl_hits.count();
        permitted = true;
    }

    action deny() {
        acl_hits.count();
        permitted = false;
    }

    action deny_unmatched() {
        permitted = false;
    }

    table acl {
        key = {
            hdr.ipv4.src_addr  : ternary @name("src");
            hdr.ipv4.dst_addr  : ternary @name("dst");
            hdr.ipv4.protocol  : ternary @name("proto");
            hdr.ports.src_port : ternary @name("sport");
            hdr.ports.dst_port : ternary @name("dport");
        }
        actions = {
            permit;
            deny;
            @defaultonly deny_unmatched;
        }
        const default_action = deny_unmatched;
        pna_direct_counter = acl_hits;
        size = 1024;
    }

    action bridge(@tc_type("dev") PortId_t port) {
        send_to_port(port);
    }

    action drop() {
        drop_packet();
    }

    table port_map {
        key = {
            istd.input_port : exact @tc_type("dev") @name("in_port");
        }
        actions = {
            bridge;
            drop;
        }
        default_action = drop;
        size = 64;
    }

    apply {
        if (hdr.ipv4.isValid()) {
            acl.apply();
        } else if (hdr.eth.ether_type == ETHERTYPE_ARP) {
            permitted = true;
        }
        if (permitted) {
            port_map.apply();
        } else {
            drop_packet();
        }
    }
}

control FirewallDeparser(packet_out pkt,
                         inout headers_t hdr,
                         in metadata_t meta,
                         in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
        pkt.emit(hdr.ports);
    }
}

PNA_NIC(FirewallParser(), FirewallControl(), FirewallDeparser()) main;
