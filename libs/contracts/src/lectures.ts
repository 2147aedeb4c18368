// PLACEHOLDER until its slice lands.
export {};
