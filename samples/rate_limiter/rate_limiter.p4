/*
 * rate_limiter: per-subscriber IPv4 policing for P4TC.
 *
 * `subscriber` maps a source address to one of 1024 meters (several
 * addresses may share one). The meters are color-blind two-rate three-color
 * meters counting packets, configured from the control plane (CIR/CBS for
 * the committed rate, PIR/PBS for the peak rate):
 * - GREEN packets (within the committed rate) are forwarded unchanged;
 * - YELLOW packets (above it but within the peak rate) are forwarded with
 *   their DSCP lowered to CS1 ("lower effort"), the header checksum updated;
 * - RED packets (above the peak rate) are dropped.
 * Addresses without an entry are not policed. `port_map` then sends the
 * packet out the port paired with its input port; non-IPv4 frames are dropped.
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
    bit<6>  dscp;
    bit<2>  ecn;
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
const bit<6>  DSCP_CS1 = 8;
const bit<32> N_METERS = 1024;

parser LimiterParser(packet_in pkt,
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

control LimiterControl(inout headers_t hdr,
                       inout metadata_t meta,
                       in pna_main_input_metadata_t istd,
                       inout pna_main_output_metadata_t ostd) {
    Meter<bit<32>>(N_METERS, PNA_MeterType_t.PACKETS) policer;

    PNA_MeterColor_t color = PNA_MeterColor_t.GREEN;

    action police(bit<32> meter) {
        color = policer.execute(meter);
    }

    action unpoliced() {
        color = PNA_MeterColor_t.GREEN;
    }

    table subscriber {
        key = {
            hdr.ipv4.src_addr : exact @name("src");
        }
        actions = {
            police;
            unpoliced;
        }
        default_action = unpoliced;
        size = 4096;
    }

    /* Lower the DSCP to CS1, updating the checksum incrementally (RFC 1624):
     * the DSCP is in the low byte of the header's first 16-bit word. */
    action remark() {
        bit<16> old_word = hdr.ipv4.version ++ hdr.ipv4.ihl ++ hdr.ipv4.dscp ++ hdr.ipv4.ecn;
        hdr.ipv4.dscp = DSCP_CS1;
        bit<16> new_word = hdr.ipv4.version ++ hdr.ipv4.ihl ++ hdr.ipv4.dscp ++ hdr.ipv4.ecn;
        bit<32> sum = (bit<32>) (~hdr.ipv4.hdr_checksum) + (bit<32>) (~old_word) + (bit<32>) new_word;
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        hdr.ipv4.hdr_checksum = ~((bit<16>) sum);
    }

    action forward(@tc_type("dev") PortId_t port) {
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
            forward;
            drop;
        }
        default_action = drop;
        size = 64;
    }

    apply {
        if (!hdr.ipv4.isValid()) {
            drop_packet();
        } else {
            subscriber.apply();
            if (color == PNA_MeterColor_t.RED) {
                drop_packet();
            } else {
                if (color == PNA_MeterColor_t.YELLOW && hdr.ipv4.dscp != DSCP_CS1) {
                    remark();
                }
                port_map.apply();
            }
        }
    }
}

control LimiterDeparser(packet_out pkt,
                        inout headers_t hdr,
                        in metadata_t meta,
                        in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
    }
}

PNA_NIC(LimiterParser(), LimiterControl(), LimiterDeparser()) main;
