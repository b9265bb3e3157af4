/*
 * ecmp_lb: an IPv4 router with equal-cost multipath for P4TC.
 *
 * `ecmp_route` is a longest-prefix-match table on the destination address
 * whose entries name an ECMP group and its number of paths. A CRC16 hash of
 * the flow's 5-tuple (addresses, protocol, TCP/UDP ports) picks a bucket in
 * [0, n_paths), so every packet of a flow takes the same path; `ecmp_member`
 * maps (group, bucket) to a next hop: output port and MAC addresses. The TTL
 * is decremented and the header checksum updated incrementally.
 * Non-IPv4 packets, route misses and expiring TTLs are dropped.
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
    bit<16> src_port;   /* 0 unless TCP or UDP */
    bit<16> dst_port;
}

const bit<16> ETHERTYPE_IPV4 = 0x0800;
const bit<8>  IPPROTO_TCP = 6;
const bit<8>  IPPROTO_UDP = 17;

parser LbParser(packet_in pkt,
                out headers_t hdr,
                inout metadata_t meta,
                in pna_main_parser_input_metadata_t istd) {
    state start {
        meta.src_port = 0;
        meta.dst_port = 0;
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
        meta.src_port = hdr.ports.src_port;
        meta.dst_port = hdr.ports.dst_port;
        transition accept;
    }
}

control LbControl(inout headers_t hdr,
                  inout metadata_t meta,
                  in pna_main_input_metadata_t istd,
                  inout pna_main_output_metadata_t ostd) {
    Hash<bit<16>>(PNA_HashAlgorithm_t.CRC16) flow_hash;

    bit<16> group_id = 0;
    bit<16> bucket = 0;

    action set_group(bit<16> group, bit<16> n_paths) {
        group_id = group;
        bucket = flow_hash.get_hash(16w0,
                                    { hdr.ipv4.src_addr, hdr.ipv4.dst_addr, hdr.ipv4.protocol,
                                      meta.src_port, meta.dst_port },
                                    n_paths);
    }

    action drop() {
        drop_packet();
    }

    table ecmp_route {
        key = {
            hdr.ipv4.dst_addr : lpm @tc_type("ipv4") @name("dst");
        }
        actions = {
            set_group;
            drop;
        }
        default_action = drop;
        size = 1024;
    }

    action set_next_hop(@tc_type("dev") PortId_t port,
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

    table ecmp_member {
        key = {
            group_id : exact @name("group");
            bucket   : exact @name("bucket");
        }
        actions = {
            set_next_hop;
            drop;
        }
        default_action = drop;
        size = 4096;
    }

    apply {
        if (hdr.ipv4.isValid() && hdr.ipv4.ttl > 1) {
            if (ecmp_route.apply().hit) {
                ecmp_member.apply();
            }
        } else {
            drop_packet();
        }
    }
}

control LbDeparser(packet_out pkt,
                   inout headers_t hdr,
                   in metadata_t meta,
                   in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
        pkt.emit(hdr.ports);
    }
}

PNA_NIC(LbParser(), LbControl(), LbDeparser()) main;
