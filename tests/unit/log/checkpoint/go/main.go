// An independent judge of our signed notes and proofs: golang.org/x/mod/sumdb/note (the Go
// checksum database's implementation of C2SP signed-note) and golang.org/x/mod/sumdb/tlog
// (RFC 6962 tree proofs), from Debian's golang-golang-x-mod-dev, built offline by the test.
//
//	open VERIFIERKEY NOTEFILE        print the verified note text, exit 1 when it does not verify
//	sign SIGNERKEY TEXTFILE          print the text signed by Go
//	record N T TREEHASH RECORDHASH PROOF...   check an inclusion proof (base64 hashes), exit 1 when bad
//	tree N T OLDHASH NEWHASH PROOF...        check a consistency proof
package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func die(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func hashOf(s string) tlog.Hash {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		die(fmt.Errorf("bad hash %q", s))
	}
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func hashes(args []string) []tlog.Hash {
	out := make([]tlog.Hash, len(args))
	for i, a := range args {
		out[i] = hashOf(a)
	}
	return out
}

func num(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		die(err)
	}
	return n
}

func main() {
	switch os.Args[1] {
	case "open":
		v, err := note.NewVerifier(os.Args[2])
		if err != nil {
			die(err)
		}
		msg, err := os.ReadFile(os.Args[3])
		if err != nil {
			die(err)
		}
		n, err := note.Open(msg, note.VerifierList(v))
		if err != nil {
			die(err)
		}
		fmt.Print(n.Text)
	case "sign":
		s, err := note.NewSigner(os.Args[2])
		if err != nil {
			die(err)
		}
		text, err := os.ReadFile(os.Args[3])
		if err != nil {
			die(err)
		}
		msg, err := note.Sign(&note.Note{Text: string(text)}, s)
		if err != nil {
			die(err)
		}
		os.Stdout.Write(msg)
	case "record":
		if err := tlog.CheckRecord(tlog.RecordProof(hashes(os.Args[6:])), num(os.Args[3]), hashOf(os.Args[4]), num(os.Args[2]), hashOf(os.Args[5])); err != nil {
			die(err)
		}
		fmt.Println("ok")
	case "tree":
		if err := tlog.CheckTree(tlog.TreeProof(hashes(os.Args[6:])), num(os.Args[3]), hashOf(os.Args[5]), num(os.Args[2]), hashOf(os.Args[4])); err != nil {
			die(err)
		}
		fmt.Println("ok")
	default:
		die(fmt.Errorf("unknown command %s", os.Args[1]))
	}
}
