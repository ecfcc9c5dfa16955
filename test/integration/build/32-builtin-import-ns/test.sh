#!/bin/sh
# crypto/skcipher.c is built in and imports CRYPTO_INTERNAL; the changed
# skcipher_setkey_simple calls crypto_cipher_setkey, exported in that
# namespace.  The patch module imports CRYPTO_INTERNAL (modinfo), or the
# module loader would refuse it ("uses symbol crypto_cipher_setkey from
# namespace CRYPTO_INTERNAL, but does not import it").
# shellcheck source=../../lib.sh
. /payload/lib.sh
ko=$MODDIR/kpatch-builtin-import-ns.ko
ns=$(modinfo -F import_ns "$ko")
note "import_ns: $ns"
[ "$ns" = CRYPTO_INTERNAL ] || fail "the patch module imports '$ns', not CRYPTO_INTERNAL"
before()   { true; }
loaded()   { [ "$(patched_functions builtin-import-ns vmlinux)" = skcipher_setkey_simple ]; }
unloaded() { true; }
standard_flow builtin-import-ns
