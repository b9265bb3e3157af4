/*
 * tc/pna.p4 for p4ts: the Portable NIC Architecture as Linux P4TC runs it.
 *
 * Sections: numeric types; conversions between header and metadata forms;
 * match kinds; hashing and checksums; counters, meters, registers, random,
 * digests (with the tc_ControlPath_* structs that describe their control-plane
 * records); skb metadata access; port predicates and packet fate; table
 * entries added from the data path and their timers; the metadata structs and
 * the PNA_NIC package.
 *
 * The @tc_* annotations tell the P4TC back end how an extern appears in the
 * kernel: @tc_acl its default permissions, @tc_numel the constructor argument
 * giving its number of elements, @tc_init_val an initial value, @tc_key and
 * @tc_data the key and data fields of its control-plane record, @tc_md_exec /
 * @tc_md_read / @tc_md_write how a method reaches the kernel.
 */
#ifndef P4TS_TC_PNA_P4
#define P4TS_TC_PNA_P4

#include <core.p4>

/* ---- Numeric types. The *Uint_t typedefs give the widths P4TC uses. ---- */
#define PNA_PLACEHOLDER_CORE_TYPES

typedef bit<32> PortIdUint_t;
typedef bit<32> InterfaceIdUint_t;
typedef bit<32> MulticastGroupUint_t;
typedef bit<16> MirrorSessionIdUint_t;
typedef bit<8>  MirrorSlotIdUint_t;
typedef bit<8>  ClassOfServiceUint_t;
typedef bit<16> PacketLengthUint_t;
typedef bit<16> MulticastInstanceUint_t;
typedef bit<64> TimestampUint_t;
typedef bit<32> FlowIdUint_t;
typedef bit<8>  ExpireTimeProfileIdUint_t;
typedef bit<32> SecurityAssocIdUint_t;

@p4runtime_translation("p4.org/pna/v1/PortId_t", 32) type PortIdUint_t PortId_t;
@p4runtime_translation("p4.org/pna/v1/InterfaceId_t", 32) type InterfaceIdUint_t InterfaceId_t;
@p4runtime_translation("p4.org/pna/v1/MulticastGroup_t", 32) type MulticastGroupUint_t MulticastGroup_t;
@p4runtime_translation("p4.org/pna/v1/MirrorSessionId_t", 16) type MirrorSessionIdUint_t MirrorSessionId_t;
@p4runtime_translation("p4.org/pna/v1/MirrorSlotId_t", 8) type MirrorSlotIdUint_t MirrorSlotId_t;
@p4runtime_translation("p4.org/pna/v1/ClassOfService_t", 8) type ClassOfServiceUint_t ClassOfService_t;
@p4runtime_translation("p4.org/pna/v1/PacketLength_t", 16) type PacketLengthUint_t PacketLength_t;
@p4runtime_translation("p4.org/pna/v1/MulticastInstance_t", 16) type MulticastInstanceUint_t MulticastInstance_t;
@p4runtime_translation("p4.org/pna/v1/Timestamp_t", 64) type TimestampUint_t Timestamp_t;
@p4runtime_translation("p4.org/pna/v1/FlowId_t", 32) type FlowIdUint_t FlowId_t;
@p4runtime_translation("p4.org/pna/v1/ExpireTimeProfileId_t", 8) type ExpireTimeProfileIdUint_t ExpireTimeProfileId_t;
@p4runtime_translation("p4.org/pna/v1/SecurityAssocId_t", 64) type SecurityAssocIdUint_t SecurityAssocId_t;

typedef error ParserError_t;

const InterfaceId_t PNA_PORT_CPU = (InterfaceId_t) 0xfffffffd;
const MirrorSessionId_t PNA_MIRROR_SESSION_TO_CPU = (MirrorSessionId_t) 0;

/* The same quantities as carried in packet headers (fixed widths). */
typedef bit<32> PortIdInHeaderUint_t;
typedef bit<32> InterfaceIdInHeaderUint_t;
typedef bit<32> MulticastGroupInHeaderUint_t;
typedef bit<16> MirrorSessionIdInHeaderUint_t;
typedef bit<8>  MirrorSlotIdInHeaderUint_t;
typedef bit<8>  ClassOfServiceInHeaderUint_t;
typedef bit<16> PacketLengthInHeaderUint_t;
typedef bit<16> MulticastInstanceInHeaderUint_t;
typedef bit<64> TimestampInHeaderUint_t;
typedef bit<32> FlowIdInHeaderUint_t;
typedef bit<8>  ExpireTimeProfileIdInHeaderUint_t;
typedef bit<32> SecurityAssocIdInHeaderUint_t;

@p4runtime_translation("p4.org/pna/v1/PortIdInHeader_t", 32) type PortIdInHeaderUint_t PortIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/InterfaceIdInHeader_t", 32) type InterfaceIdInHeaderUint_t InterfaceIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/MulticastGroupInHeader_t", 32) type MulticastGroupInHeaderUint_t MulticastGroupInHeader_t;
@p4runtime_translation("p4.org/pna/v1/MirrorSessionIdInHeader_t", 16) type MirrorSessionIdInHeaderUint_t MirrorSessionIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/MirrorSlotIdInHeader_t", 8) type MirrorSlotIdInHeaderUint_t MirrorSlotIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/ClassOfServiceInHeader_t", 8) type ClassOfServiceInHeaderUint_t ClassOfServiceInHeader_t;
@p4runtime_translation("p4.org/pna/v1/PacketLengthInHeader_t", 16) type PacketLengthInHeaderUint_t PacketLengthInHeader_t;
@p4runtime_translation("p4.org/pna/v1/MulticastInstanceInHeader_t", 16) type MulticastInstanceInHeaderUint_t MulticastInstanceInHeader_t;
@p4runtime_translation("p4.org/pna/v1/TimestampInHeader_t", 64) type TimestampInHeaderUint_t TimestampInHeader_t;
@p4runtime_translation("p4.org/pna/v1/FlowIdInHeader_t", 32) type FlowIdInHeaderUint_t FlowIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/ExpireTimeProfileIdInHeader_t", 8) type ExpireTimeProfileIdInHeaderUint_t ExpireTimeProfileIdInHeader_t;
@p4runtime_translation("p4.org/pna/v1/SecurityAssocIdInHeader_t", 64) type SecurityAssocIdInHeaderUint_t SecurityAssocIdInHeader_t;

/* ---- Conversions between the header form and the metadata form. ---- */
#define P4TS_PNA_CONVERT(NAME) \
    NAME##_t pna_##NAME##_header_to_int(in NAME##InHeader_t x) { \
        return (NAME##_t) (NAME##Uint_t) (NAME##InHeaderUint_t) x; \
    } \
    NAME##InHeader_t pna_##NAME##_int_to_header(in NAME##_t x) { \
        return (NAME##InHeader_t) (NAME##InHeaderUint_t) (NAME##Uint_t) x; \
    }
P4TS_PNA_CONVERT(PortId)
P4TS_PNA_CONVERT(InterfaceId)
P4TS_PNA_CONVERT(MulticastGroup)
P4TS_PNA_CONVERT(MirrorSessionId)
P4TS_PNA_CONVERT(ClassOfService)
P4TS_PNA_CONVERT(PacketLength)
P4TS_PNA_CONVERT(MulticastInstance)
P4TS_PNA_CONVERT(Timestamp)
P4TS_PNA_CONVERT(FlowId)
P4TS_PNA_CONVERT(ExpireTimeProfileId)
#undef P4TS_PNA_CONVERT

/* What happens to an entry whose idle timer expires. */
enum PNA_IdleTimeout_t {
    NO_TIMEOUT,
    NOTIFY_CONTROL,
    AUTO_DELETE
};

/* Match kinds beyond the core ones. */
match_kind {
    range,
    selector,
    optional
}

/* ---- Hashing and checksums. ---- */
enum PNA_HashAlgorithm_t {
    IDENTITY,
    CRC32,
    CRC32_CUSTOM,
    CRC16,
    CRC16_CUSTOM,
    ONES_COMPLEMENT16,
    TARGET_DEFAULT
}

extern Hash<O> {
    Hash(PNA_HashAlgorithm_t algo);
    /* The hash of `data`. */
    @tc_md_exec O get_hash<D>(in D data);
    /* base + (hash of `data`) modulo max. */
    @tc_md_exec O get_hash<T, D>(in T base, in D data, in T max);
}

extern Checksum<W> {
    Checksum(PNA_HashAlgorithm_t hash);
    void clear();
    void update<T>(in T data);
    W get();
}

/* The ones'-complement checksum of IPv4, TCP and UDP, with incremental updates. */
extern InternetChecksum {
    InternetChecksum();
    void clear();
    void add<T>(in T data);
    void subtract<T>(in T data);
    bit<16> get();
    bit<16> get_state();
    void set_state(in bit<16> checksum_state);
}

/* ---- Counters. ---- */
enum PNA_CounterType_t {
    PACKETS,
    BYTES,
    PACKETS_AND_BYTES
}

/* An array of `n_counters` counters indexed by S, with W-bit values. */
@noWarn("unused") @tc_acl("RP:RUXP")
extern Counter<W, S> {
    Counter(@tc_numel bit<32> n_counters, PNA_CounterType_t type);
    @tc_md_exec void count(in S index);
}

struct tc_ControlPath_Counter<W, S> {
    @tc_key S index;
    @tc_data W pkts;
    @tc_data W bytes;
}

/* One counter per entry of the table that names it in `pna_direct_counter`. */
@noWarn("unused") @tc_acl("RP:RUXP")
extern DirectCounter<W> {
    DirectCounter(PNA_CounterType_t type);
    @tc_md_exec void count();
}

struct tc_ControlPath_DirectCounter<W> {
    @tc_key bit<32> index;
    @tc_data W pkts;
    @tc_data W bytes;
}

/* ---- skb metadata of the Linux packet. ---- */
extern void skb_get_meta();
extern bit<64> skb_get_tstamp();
extern bit<32> skb_get_mark();
extern bit<16> skb_get_tc_classid();
extern bit<16> skb_get_tc_index();
extern bit<16> skb_get_queue_mapping();
extern bit<16> skb_get_protocol();
extern bit<1> skb_get_tc_at_ingress();
extern bit<1> skb_get_from_ingress();
extern void skb_set_tstamp(in bit<64> dummy);
extern void skb_set_mark(in bit<32> dummy);
extern void skb_set_tc_classid(in bit<16> dummy);
extern void skb_set_tc_index(in bit<16> dummy);
extern void skb_set_queue_mapping(in bit<16> dummy);
extern void skb_set_protocol(in bit<16> dummy);
extern void skb_set_meta();

/* ---- Meters (two-rate three-color). ---- */
enum PNA_MeterType_t {
    PACKETS,
    BYTES
}

enum PNA_MeterColor_t { RED, GREEN, YELLOW }

@tc_acl("RUP:RUXP")
extern Meter<S> {
    Meter(@tc_numel bit<32> n_meters, PNA_MeterType_t type);
    /* Color-aware: `color` is the color the packet already has. */
    @tc_md_exec PNA_MeterColor_t execute(in S index, in PNA_MeterColor_t color);
    @tc_md_exec PNA_MeterColor_t execute(in S index);
}

struct tc_ControlPath_Meter<S> {
    @tc_key S index;
    @tc_data bit<64> cir;
    @tc_data bit<64> cbs;
    @tc_data bit<64> pir;
    @tc_data bit<64> pbs;
}

@tc_acl("RUP:RUXP")
extern DirectMeter {
    DirectMeter(PNA_MeterType_t type);
    @tc_md_exec PNA_MeterColor_t execute(in PNA_MeterColor_t color);
    @tc_md_exec PNA_MeterColor_t execute();
}

struct tc_ControlPath_DirectMeter {
    @tc_key bit<32> index;
    @tc_data bit<64> cir;
    @tc_data bit<64> cbs;
    @tc_data bit<64> pir;
    @tc_data bit<64> pbs;
}

/* ---- Registers, random numbers, action profiles, digests. ---- */
extern Register<T, S> {
    Register(@tc_numel bit<32> size);
    Register(@tc_numel bit<32> size, @tc_init_val T initial_value);
    @tc_md_read T read(@tc_key in S index);
    @tc_md_write void write(@tc_key in S index, @tc_data in T value);
}

struct tc_ControlPath_Register<T> {
    @tc_key bit<32> index;
    @tc_data T a_value;
}

/* A uniformly distributed value in [min, max]. */
extern Random<T> {
    Random(T min, T max);
    T read();
}

extern ActionProfile {
    ActionProfile(bit<32> size);
}

extern ActionSelector {
    ActionSelector(PNA_HashAlgorithm_t algo, bit<32> size, bit<32> outputWidth);
}

/* Sends a record of type T to the control plane. */
extern Digest<T> {
    Digest();
    @tc_md_exec void pack(in T data);
}

struct tc_ControlPath_Digest<T> {
    @tc_key bit<32> index;
    @tc_data T data;
}

/* ---- Where packets come from and go to. ---- */
enum PNA_Source_t {
    FROM_HOST,
    FROM_NET
}

struct pna_main_parser_input_metadata_t {
    bool recirculated;
    PortId_t input_port;
}

extern bool is_host_port(in PortId_t p);
extern bool is_net_port(in PortId_t p);

struct pna_main_input_metadata_t {
    bool recirculated;
    bool recirculate;
    Timestamp_t timestamp;
    ParserError_t parser_error;
    ClassOfService_t class_of_service;
    PortId_t input_port;
}

struct pna_main_output_metadata_t {
    ClassOfService_t class_of_service;
}

extern void drop_packet();
extern void send_to_port(in PortId_t dest_port);
extern void mirror_packet(in MirrorSlotId_t mirror_slot_id, in MirrorSessionId_t mirror_session_id);

/* ---- Table entries added by the data path (add-on-miss) and their timers. ---- */
typedef bit<1> AddEntryErrorStatus_t;
const AddEntryErrorStatus_t ADD_ENTRY_SUCCESS = 0;
const AddEntryErrorStatus_t ADD_ENTRY_NOT_DONE = 1;

/* Only in the default action of an add_on_miss table: adds an entry for the missed key. */
extern AddEntryErrorStatus_t add_entry<T>(string action_name, in T action_params, in ExpireTimeProfileId_t expire_time_profile_id);
extern AddEntryErrorStatus_t add_entry_if<T>(in bool do_add_entry, string action_name, in T action_params, in ExpireTimeProfileId_t expire_time_profile_id);
extern FlowId_t allocate_flow_id();
extern void set_entry_expire_time(in ExpireTimeProfileId_t expire_time_profile_id);
extern void restart_expire_timer();
extern void update_expire_info(in bool update_aging_info, in bool update_expire_time, in ExpireTimeProfileId_t expire_time_profile_id);
extern void set_entry_expire_time_if(in bool condition, in ExpireTimeProfileId_t expire_time_profile_id);

@pure
extern T SelectByDirection<T>(in bool is_network_port, in T from_net_value, in T from_host_value);

/* ---- The programmable blocks and the package. ---- */
parser MainParserT<MH, MM>(packet_in pkt,
                           out MH main_hdr,
                           inout MM main_user_meta,
                           in pna_main_parser_input_metadata_t istd);

control MainControlT<MH, MM>(inout MH main_hdr,
                             inout MM main_user_meta,
                             in pna_main_input_metadata_t istd,
                             inout pna_main_output_metadata_t ostd);

control MainDeparserT<MH, MM>(packet_out pkt,
                              inout MH main_hdr,
                              in MM main_user_meta,
                              in pna_main_output_metadata_t ostd);

package PNA_NIC<MH, MM>(MainParserT<MH, MM> main_parser,
                        MainControlT<MH, MM> main_control,
                        MainDeparserT<MH, MM> main_deparser);

#endif
