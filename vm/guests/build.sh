#!/usr/bin/env bash
# Builds every vm/guests/src/*.c into vm/guests/bin/<name>.elf with the Debian cross compiler.
# Deterministic flags (no debug info, no build id) so a rebuild reproduces the committed ELFs
# byte for byte. Usage: vm/guests/build.sh [OUT_DIR] [extra sources dir...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/bin}"
CC="${ZKFP_RISCV_CC:-riscv64-unknown-elf-gcc}"
command -v "$CC" >/dev/null || { echo "zkfp: $CC not found (apt-get install gcc-riscv64-unknown-elf)" >&2; exit 3; }
mkdir -p "$out"
CFLAGS=(-march=rv32im -mabi=ilp32 -O2 -g0 -nostdlib -ffreestanding -fno-pic -fno-stack-protector
        -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -I"$here/lib" -Wall -Wno-unused-function)
LDFLAGS=(-Wl,--no-relax -Wl,--build-id=none -Wl,--discard-all -Wl,-T,"$here/link.ld" -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)
build() { # name, sources...
  local name="$1"; shift
  (cd "$here" && "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$out/$name.elf.tmp" lib/crt0.S lib/zkrt.c "$@" -lgcc)
  mv "$out/$name.elf.tmp" "$out/$name.elf"
}
for f in "$here"/src/*.c; do build "$(basename "$f" .c)" "src/$(basename "$f")"; done
echo "built $(ls "$here"/src/*.c | wc -l) guests into $out"
