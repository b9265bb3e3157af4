/**
 * The stock-kernel P4TC emulation, seen from user space: the map layouts a
 * loader writes (see runtime-headers/README.md, "P4TC emulation").
 */
export * from "./layout.js";
