/*
 * core.p4 for p4ts: the P4-16 core library (language version 1.2).
 * Declares what every P4-16 program may use without an architecture:
 * the built-in errors, packet_in/packet_out, verify, NoAction, the
 * standard match kinds and static_assert.
 */
#ifndef P4TS_CORE_P4
#define P4TS_CORE_P4

/* Errors the parser can signal; programs may add more with their own `error { }`. */
error {
    NoError,
    PacketTooShort,
    NoMatch,
    StackOutOfBounds,
    HeaderTooShort,
    ParserTimeout,
    ParserInvalidArgument
}

/* The packet being parsed. */
extern packet_in {
    /* Fill a fixed-size header and make it valid. */
    void extract<T>(out T hdr);
    /* Fill a header whose varbit field takes `variableFieldSizeInBits` bits. */
    void extract<T>(out T variableSizeHeader, in bit<32> variableFieldSizeInBits);
    /* Read the next bits without consuming them. */
    T lookahead<T>();
    /* Skip bits. */
    void advance(in bit<32> sizeInBits);
    /* Length of the packet in bytes. */
    bit<32> length();
}

/* The packet being built by a deparser. */
extern packet_out {
    /* Append a header (nothing if it is invalid), a header stack or a struct of headers. */
    void emit<T>(in T hdr);
}

/* In a parser: unless `check` holds, stop parsing with error `toSignal`. */
extern void verify(in bool check, in error toSignal);

/* An action that does nothing: the usual default action of a table. */
@noWarn("unused")
action NoAction() {}

/* How a table key field is matched. */
match_kind {
    exact,
    ternary,
    lpm
}

/* Compile-time assertions. */
extern bool static_assert(bool check, string message);
extern bool static_assert(bool check);

#endif
