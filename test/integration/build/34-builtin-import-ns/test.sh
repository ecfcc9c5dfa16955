#!/bin/sh
# crypto/skcipher.c is built in and imports CRYPTO_INTERNAL; the changed
# skcipher_setkey_simple calls crypto_cipher_setkey, exported in that
# namespace.  The patch module imports CRYPTO_INTERNAL (its .modinfo has
# the string "import_ns=CRYPTO_INTERNAL", without the built-in prefix), or
# modpost and the module loader would refuse it ("uses symbol
# crypto_cipher_setkey from namespace CRYPTO_INTERNAL, but does not import
# it").
# shellcheck source=../../lib.sh
. /payload/lib.sh
ns=$(tr '\0' '\n' < "$MODDIR/kpatch-builtin-import-ns.ko" | grep 'import_ns=')
note "$ns"
[ "$ns" = import_ns=CRYPTO_INTERNAL ] || fail "the patch module's namespace strings are '$ns', not import_ns=CRYPTO_INTERNAL"
before()   { true; }
loaded()   { [ "$(patched_functions builtin-import-ns vmlinux)" = skcipher_setkey_simple ]; }
unloaded() { true; }
standard_flow builtin-import-ns
