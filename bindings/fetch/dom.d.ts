// What fetch has beyond TypeScript's DOM lib, added to its RequestInit by
// interface merging (in both forms of host.d.ts).

interface RequestInit {
  /** "half": required with a ReadableStream body (sent as it is read). */
  duplex?: "half";
}
