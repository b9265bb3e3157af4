/*
 * ipip_tunnel: an IP-in-IP (RFC 2003) tunnel endpoint for P4TC.
 *
 * - Decapsulation: `tunnel_term` holds the local tunnel endpoint addresses.
 *   An IPv4 packet of protocol 4 (IP in IP) addressed to one of them loses
 *   its outer IPv4 header; the inner packet is then looked up in `route`.
 * - Encapsulation: `route` is a longest-prefix-match table on the destination
 *   address. An `encap` entry puts the packet in a new outer IPv4 header
 *   (protocol 4, TTL 64, the inner TOS copied, the tunnel's source and
 *   destination addresses), whose header checksum the deparser computes with
 *   InternetChecksum; a `forward` entry sends it on as it is. Either rewrites
 *   the MAC addresses for the next hop and picks the output port.
 * The inner packet is not otherwise modified (this is a tunnel endpoint, not
 * a router: its TTL is left alone). Route misses and non-IPv4 frames are
 * dropped.
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
    ipv4_t     tunnel;  /* the outer header this program adds */
    ipv4_t     ipv4;    /* the packet's (outer) IPv4 header */
    ipv4_t     inner;   /* an IP-in-IP packet's inner header */
}

struct metadata_t {
}

const bit<16> ETHERTYPE_IPV4 = 0x0800;
const bit<8>  IPPROTO_IPIP = 4;

parser TunnelParser(packet_in pkt,
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
        // The inner header follows right away only without IP options.
        transition select(hdr.ipv4.ihl, hdr.ipv4.frag_offset, hdr.ipv4.protocol) {
            (5, 0, IPPROTO_IPIP): parse_inner;
            default: accept;
        }
    }
    state parse_inner {
        pkt.extract(hdr.inner);
        transition accept;
    }
}

control TunnelControl(inout headers_t hdr,
                      inout metadata_t meta,
                      in pna_main_input_metadata_t istd,
                      inout pna_main_output_metadata_t ostd) {
    /* The header of the packet being routed: the outer one, or the inner
     * one once decapsulated. */
    bit<32> dst = 0;
    bit<16> total_len = 0;
    bit<8>  diffserv = 0;

    action decap() {
        hdr.ipv4.setInvalid();
        dst = hdr.inner.dst_addr;
        total_len = hdr.inner.total_len;
        diffserv = hdr.inner.diffserv;
    }

    table tunnel_term {
        key = {
            hdr.ipv4.dst_addr : exact @name("dst");
        }
        actions = {
            decap;
            NoAction;
        }
        default_action = NoAction;
        size = 64;
    }

    action next_hop(PortId_t port, bit<48> dmac, bit<48> smac) {
        hdr.eth.dst_addr = dmac;
        hdr.eth.src_addr = smac;
        send_to_port(port);
    }

    action forward(@tc_type("dev") PortId_t port,
                   @tc_type("macaddr") bit<48> dmac,
                   @tc_type("macaddr") bit<48> smac) {
        next_hop(port, dmac, smac);
    }

    action encap(@tc_type("ipv4") bit<32> tun_src,
                 @tc_type("ipv4") bit<32> tun_dst,
                 @tc_type("dev") PortId_t port,
                 @tc_type("macaddr") bit<48> dmac,
                 @tc_type("macaddr") bit<48> smac) {
        hdr.tunnel.setValid();
        hdr.tunnel.version = 4;
        hdr.tunnel.ihl = 5;
        hdr.tunnel.diffserv = diffserv;
        hdr.tunnel.total_len = total_len + 20;
        hdr.tunnel.identification = 0;
        hdr.tunnel.flags = 0;
        hdr.tunnel.frag_offset = 0;
        hdr.tunnel.ttl = 64;
        hdr.tunnel.protocol = IPPROTO_IPIP;
        hdr.tunnel.hdr_checksum = 0;   /* set by the deparser */
        hdr.tunnel.src_addr = tun_src;
        hdr.tunnel.dst_addr = tun_dst;
        next_hop(port, dmac, smac);
    }

    action drop() {
        drop_packet();
    }

    table route {
        key = {
            dst : lpm @tc_type("ipv4") @name("dst");
        }
        actions = {
            forward;
            encap;
            drop;
        }
        default_action = drop;
        size = 1024;
    }

    apply {
        if (!hdr.ipv4.isValid()) {
            drop_packet();
        } else {
            dst = hdr.ipv4.dst_addr;
            total_len = hdr.ipv4.total_len;
            diffserv = hdr.ipv4.diffserv;
            if (hdr.inner.isValid()) {
                tunnel_term.apply();
            }
            route.apply();
        }
    }
}

control TunnelDeparser(packet_out pkt,
                       inout headers_t hdr,
                       in metadata_t meta,
                       in pna_main_output_metadata_t ostd) {
    InternetChecksum() ck;

    apply {
        if (hdr.tunnel.isValid()) {
            ck.clear();
            ck.add({ hdr.tunnel.version, hdr.tunnel.ihl, hdr.tunnel.diffserv,
                     hdr.tunnel.total_len,
                     hdr.tunnel.identification,
                     hdr.tunnel.flags, hdr.tunnel.frag_offset,
                     hdr.tunnel.ttl, hdr.tunnel.protocol,
                     hdr.tunnel.src_addr,
                     hdr.tunnel.dst_addr });
            hdr.tunnel.hdr_checksum = ck.get();
        }
        pkt.emit(hdr.eth);
        pkt.emit(hdr.tunnel);
        pkt.emit(hdr.ipv4);
        pkt.emit(hdr.inner);
    }
}

PNA_NIC(TunnelParser(), TunnelControl(), TunnelDeparser()) main;
