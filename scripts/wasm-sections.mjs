// Reading a WebAssembly module's sections, for the build's own scripts (scripts/size-breakdown.mjs,
// scripts/order-page-wasm.mjs): just enough of the binary format to find the functions' bodies.

// An unsigned LEB128 number at `at`: [value, where the next byte is].
export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

// `value` as unsigned LEB128 bytes.
export function lebBytes(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

// Each section: its id, where it starts (its id byte), where its body starts and where it ends.
export function sections(bytes) {
  const found = [];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at++];
    let size;
    [size, at] = leb(bytes, at);
    found.push({ id, start, body: at, end: at + size });
    at += size;
  }
  return found;
}

// Functions are numbered imports first; counting them needs the import section. binaryen 132
// writes it compactly: after a module name and an empty field name, 0x7f starts a group of
// (name, kind, description) and 0x7e a group of names sharing one kind and description.
export function importedFunctions(bytes, section) {
  if (!section) return 0;
  let at = section.body;
  let functions = 0;
  const skipName = () => {
    let length;
    [length, at] = leb(bytes, at);
    at += length;
    return length;
  };
  const limits = () => {
    let flags;
    [flags, at] = leb(bytes, at);
    [, at] = leb(bytes, at);
    if (flags & 1) [, at] = leb(bytes, at);
  };
  const description = (kind) => {
    if (kind === 0) [, at] = leb(bytes, at);
    else if (kind === 1) (at++, limits());
    else if (kind === 2) limits();
    else if (kind === 3) at += 2;
    else if (kind === 4) (at++, ([, at] = leb(bytes, at)));
    else throw new Error(`import kind ${kind} not understood`);
    return kind === 0;
  };
  let count;
  [count, at] = leb(bytes, at);
  for (let i = 0; i < count; i++) {
    skipName();
    const fieldLength = skipName();
    const marker = bytes[at];
    if (fieldLength === 0 && (marker === 0x7f || marker === 0x7e)) {
      at++;
      let members;
      if (marker === 0x7f) {
        [members, at] = leb(bytes, at);
        for (let m = 0; m < members; m++) {
          skipName();
          if (description(bytes[at++])) functions++;
        }
      } else {
        const isFunction = description(bytes[at++]);
        [members, at] = leb(bytes, at);
        for (let m = 0; m < members; m++) skipName();
        if (isFunction) functions += members;
      }
    } else if (description(bytes[at++])) {
      functions++;
    }
  }
  return functions;
}

// The bodies of the functions the code section `code` defines, in order.
export function functionBodies(bytes, code) {
  const bodies = [];
  let at = code.body;
  let count;
  [count, at] = leb(bytes, at);
  for (let i = 0; i < count; i++) {
    let size;
    [size, at] = leb(bytes, at);
    bodies.push(bytes.subarray(at, at + size));
    at += size;
  }
  return bodies;
}
