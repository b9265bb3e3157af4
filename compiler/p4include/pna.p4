/* pna.p4 for p4ts: the same declarations as <tc/pna.p4>, the architecture p4ts targets. */
#include <tc/pna.p4>
