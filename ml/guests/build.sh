#!/usr/bin/env bash
# Builds the ML guests (ml/guests/src/*.c + ml/dnn/dnn.c) into ml/guests/bin/<name>.elf with the same
# compiler, flags, crt0/zkrt and link script as vm/guests/build.sh, so the ELFs run on the zkfp VM and
# on qemu-riscv32 alike. Deterministic flags: a rebuild reproduces the committed ELFs byte for byte.
# Model graphs are embedded with .incbin from ml/guests/gen/*.zkb (written by `npx tsx ml/guests/gen.ts`).
# Usage: ml/guests/build.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vm="$(cd "$here/../../vm/guests" && pwd)"
dnn="$(cd "$here/../dnn" && pwd)"
out="${1:-$here/bin}"
CC="${ZKFP_RISCV_CC:-riscv64-unknown-elf-gcc}"
command -v "$CC" >/dev/null || { echo "zkfp: $CC not found (apt-get install gcc-riscv64-unknown-elf)" >&2; exit 3; }
mkdir -p "$out"
CFLAGS=(-march=rv32im -mabi=ilp32 -O2 -g0 -nostdlib -ffreestanding -fno-pic -fno-stack-protector
        -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -I"$vm/lib" -I"$dnn" -I"$here/gen" -Wall -Wno-unused-function)
# -Wl,-s (not in vm/guests/build.sh): strips symbols and libgcc debug info, which name the temp
# object gcc assembles crt0.S into (ccXXXXXX.o) and so differ from build to build.
LDFLAGS=(-Wl,-s -Wl,--no-relax -Wl,--build-id=none -Wl,-T,"$vm/link.ld" -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)
build() { # name, sources...
  local name="$1"; shift
  (cd "$here" && "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$out/$name.elf.tmp" "$vm/lib/crt0.S" "$vm/lib/zkrt.c" "$dnn/dnn.c" "$@" -lgcc)
  mv "$out/$name.elf.tmp" "$out/$name.elf"
}
build node src/node.c
# one graph program per embedded model: gen/<model>.zkb -> bin/<model>.elf
for m in "$here"/gen/*.zkb; do
  [ -e "$m" ] || continue
  build "$(basename "$m" .zkb)" src/graph.c src/model.S -DMODEL_FILE="\"$m\""
done
if [ -f "$here/gen/stories.h" ]; then
  # shellcheck disable=SC1091
  source "$here/gen/stories.mk"
  build stories src/stories.c src/stories_w.S -DSTORIES_FILE="\"$STORIES_FILE\"" -DSTORIES_BYTES="$STORIES_BYTES"
fi
echo "built ml guests into $out"
