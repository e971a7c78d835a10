#!/bin/sh
# Prints the generated version header: release, git revision, compiler, date.
cc=$1
rev=$(git describe --always --dirty 2>/dev/null || echo unknown)
date=$(git log -1 --format=%cd --date=format-local:'%a %b %e %H:%M:%S UTC %Y' 2>/dev/null || echo unknown)
compiler=$($cc --version | head -n 1)
cat <<EOT
#define MK64_RELEASE "0.1.0"
#define MK64_REVISION "$rev"
#define MK64_COMPILER "$compiler"
#define MK64_BUILD_DATE "$date"
EOT
