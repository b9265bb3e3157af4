export * from "./messages.js";
export * from "./bag.js";
export * from "./format.js";
