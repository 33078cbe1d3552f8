#!/bin/sh
# The pass that produced bench/RESULTS.md in session 2 (about an hour on 2 cores, nothing else
# running). Run from the repository root after `make` has created .venv.
set -e
R=".venv/bin/python -m bench.run --fresh"
OX=oxigraph,oxigraph-disk
RQ=scan-proxy,whatif-query,whatif-api,profile,image
$R --sizes 10k --parts load
$R --sizes 10k,100k --parts queries,floor --backends $OX
$R --sizes 100k --parts load
$R --sizes 10k,100k --parts queries --backends rdflib --ops $RQ
$R --sizes 10k,100k --parts shacl
$R --sizes 1m --parts load,queries,floor --backends $OX
$R --sizes 1m --parts load --backends rdflib
$R --sizes 1m --parts queries --backends rdflib --ops $RQ --big-repeat 1
$R --sizes 1m --parts shacl --shapes project
$R --sizes 10m --parts load,queries,floor --backends $OX --big-repeat 2
$R --sizes 10m --parts shacl --shapes project --cap 1500 \
   --engines fast,sharded-fast,pyshacl,turbo,rudof,sharded-pyshacl
# rdflib's full scan: one run at 10k, larger sizes extrapolated from it
$R --sizes 10k,100k,1m --parts queries --backends rdflib --ops scan-full --repeat 1 \
   --big-repeat 1 --cap 900
# the product's full scan and what-if once more after the last code change
$R --sizes 10k,100k,1m,10m --parts queries --backends $OX --ops scan-full,whatif-api \
   --big-repeat 2
