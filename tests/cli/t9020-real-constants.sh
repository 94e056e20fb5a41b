#!/bin/sh
# Real headers (Debian's libxen-dev): every constant against the compiler.
XEN=${XENABI_REAL_TREE:-/usr/include/xen}
if [ ! -f "$XEN/xen.h" ]; then
	echo "1..0 # skip no Xen headers at $XEN (apt-get install libxen-dev)"
	exit 0
fi
XENABI_CROSSCHECK_TREE=$XEN exec sh "$(dirname "$0")/t2210-constants-crosscheck.sh"
