#!/bin/sh
# mkkallsyms.sh OUT.elf LINK-COMMAND...: links the kernel with its own
# symbol table (kernel/kallsyms.c), as Linux's link-vmlinux.sh does.
#
# The table is generated from nm of the previous pass by mkkallsyms.py and
# linked in after every other object. Pass 0 links an empty table; pass 1
# a table of the final size, whose addresses are pass 0's (anything after
# the table may since have moved); pass 2 the same size again, with pass
# 1's addresses, which pass 2 no longer moves. The check: the table made
# from the final image must equal the one linked into it.
#
# CC and NM name the cross tools. LINK-COMMAND gets "TABLE.o -o OUT.n"
# appended.
set -eu

out=$1
shift
ksyms=${out%.elf}.kallsyms

python3 scripts/mkkallsyms.py </dev/null >"$ksyms.0.S"
for pass in 0 1 2; do
	"$CC" -c "$ksyms.$pass.S" -o "$ksyms.$pass.o"
	"$@" "$ksyms.$pass.o" -o "$out.$pass"
	"$NM" -n -S "$out.$pass" | python3 scripts/mkkallsyms.py >"$ksyms.$((pass + 1)).S"
done
if ! cmp -s "$ksyms.2.S" "$ksyms.3.S"; then
	echo "mkkallsyms.sh: the symbol table linked into $out does not match its" \
	     "addresses (diff $ksyms.2.S $ksyms.3.S)" >&2
	exit 1
fi
mv "$out.2" "$out"
rm -f "$out.0" "$out.1"
