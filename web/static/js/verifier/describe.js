export function describe() {}
