/*
 * l2_switch: a learning Ethernet switch for P4TC.
 *
 * Two tables keyed on MAC addresses:
 * - `mac_learn` looks up the source MAC; on a miss its default action adds an
 *   entry from the data path (add-on-miss), so the control plane sees every
 *   station that sent a frame, with an idle timeout.
 * - `mac_fwd` looks up the destination MAC and sends the frame to the port the
 *   control plane (or a static entry) assigned; unknown destinations are dropped.
 */
#include <core.p4>
#include <tc/pna.p4>

header ethernet_t {
    @tc_type("macaddr") bit<48> dst_addr;
    @tc_type("macaddr") bit<48> src_addr;
    bit<16> ether_type;
}

struct headers_t {
    ethernet_t eth;
}

struct metadata_t {
}

const ExpireTimeProfileId_t STATION_TIMEOUT = (ExpireTimeProfileId_t) 1;

parser SwitchParser(packet_in pkt,
                    out headers_t hdr,
                    inout metadata_t meta,
                    in pna_main_parser_input_metadata_t istd) {
    state start {
        pkt.extract(hdr.eth);
        transition accept;
    }
}

control SwitchControl(inout headers_t hdr,
                      inout metadata_t meta,
                      in pna_main_input_metadata_t istd,
                      inout pna_main_output_metadata_t ostd) {
    action learned() {
    }

    action learn() {
        add_entry(action_name = "learned", action_params = {}, expire_time_profile_id = STATION_TIMEOUT);
    }

    table mac_learn {
        key = {
            hdr.eth.src_addr : exact @name("src");
        }
        actions = {
            learned;
            @defaultonly learn;
        }
        default_action = learn;
        add_on_miss = true;
        size = 4096;
    }

    action forward(@tc_type("dev") PortId_t port) {
        send_to_port(port);
    }

    action drop() {
        drop_packet();
    }

    table mac_fwd {
        key = {
            hdr.eth.dst_addr : exact @name("dst");
        }
        actions = {
            forward;
            drop;
        }
        default_action = drop;
        size = 4096;
    }

    apply {
        if (hdr.eth.isValid()) {
            mac_learn.apply();
            mac_fwd.apply();
        } else {
            drop_packet();
        }
    }
}

control SwitchDeparser(packet_out pkt,
                       inout headers_t hdr,
                       in metadata_t meta,
                       in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
    }
}

PNA_NIC(SwitchParser(), SwitchControl(), SwitchDeparser()) main;
