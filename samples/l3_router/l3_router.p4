/*
 * l3_router: an IPv4 router for P4TC.
 *
 * `ipv4_route` is a longest-prefix-match table on the destination address.
 * A hit sets the next hop's MAC addresses, decrements the TTL, updates the
 * header checksum incrementally and sends the packet out the route's port.
 * Packets with an expiring TTL, non-IPv4 packets and route misses are dropped.
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

struct headers_t {
    ethernet_t eth;
    ipv4_t     ipv4;
}

struct metadata_t {
}

const bit<16> ETHERTYPE_IPV4 = 0x0800;

parser RouterParser(packet_in pkt,
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
        transition accept;
    }
}

control RouterControl(inout headers_t hdr,
                      inout metadata_t meta,
                      in pna_main_input_metadata_t istd,
                      inout pna_main_output_metadata_t ostd) {
    action route(@tc_type("dev") PortId_t port,
                 @tc_type("macaddr") bit<48> dmac,
                 @tc_type("macaddr") bit<48> smac) {
        hdr.eth.dst_addr = dmac;
        hdr.eth.src_addr = smac;
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
        // RFC 1624 incremental update: the TTL is the high byte of its 16-bit word.
        bit<32> sum = (bit<32>) hdr.ipv4.hdr_checksum + 32w0x0100;
        sum = (sum & 0xffff) + (sum >> 16);
        hdr.ipv4.hdr_checksum = (bit<16>) sum;
        send_to_port(port);
    }

    action drop() {
        drop_packet();
    }

    table ipv4_route {
        key = {
            hdr.ipv4.dst_addr : lpm @tc_type("ipv4") @name("dst");
        }
        actions = {
            route;
            drop;
        }
        default_action = drop;
        size = 1024;
    }

    apply {
        if (hdr.ipv4.isValid() && hdr.ipv4.ttl > 1) {
            ipv4_route.apply();
        } else {
            drop_packet();
        }
    }
}

control RouterDeparser(packet_out pkt,
                       inout headers_t hdr,
                       in metadata_t meta,
                       in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
    }
}

PNA_NIC(RouterParser(), RouterControl(), RouterDeparser()) main;
