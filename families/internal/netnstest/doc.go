// Package netnstest gives the live tests of the prebuilt families a fresh
// network namespace each, with veth pairs in it and the iproute2 and
// ethtool commands run inside it. It is Linux-only; elsewhere it has no
// exported identifiers.
package netnstest
