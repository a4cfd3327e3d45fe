#!/usr/bin/env bash
# bench/wire/interop.sh with both sides requiring MSE/PE RC4 encryption (libtorrent pe_forced/pe_rc4,
# kadtorrent --encryption require): we download from libtorrent and it downloads from us.
ENCRYPTION=require exec "$(dirname "$0")/interop.sh" "$@"
