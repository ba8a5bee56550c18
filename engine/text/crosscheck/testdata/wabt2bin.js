// Converts text modules to binaries with wabt (npm package "wabt"), for
// TestWabtDifferential. Reads a JSON array of {Src} from argv[2] and writes
// a JSON array of {Hex} or {Err} to argv[3], in the same order.
const fs = require("fs");
const mods = JSON.parse(fs.readFileSync(process.argv[2]));
const features = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true,
  simd: true, threads: true, function_references: true, multi_value: true, tail_call: true,
  bulk_memory: true, reference_types: true, annotations: true, code_metadata: true, gc: true,
  memory64: true, multi_memory: true, extended_const: true, relaxed_simd: true,
};
require("wabt")().then((wabt) => {
  const out = mods.map((m) => {
    let mod;
    try {
      // Bytes, not a JS string: wabt would truncate non-ASCII characters.
      mod = wabt.parseWat("module.wat", new Uint8Array(Buffer.from(m.Src, "utf8")), features);
      mod.resolveNames();
      const bin = mod.toBinary({ write_debug_names: false });
      return { Hex: Buffer.from(bin.buffer).toString("hex") };
    } catch (e) {
      return { Err: String(e).slice(0, 200) };
    } finally {
      if (mod) mod.destroy();
    }
  });
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
});
