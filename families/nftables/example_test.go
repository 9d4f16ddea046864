package nftables_test

import (
	"context"
	"errors"
	"log"

	"github.com/ynlgo/ynl/families/nftables"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// Create a table, an input base chain and a rule counting and accepting
// packets, in one transaction: all of it, or nothing.
func Example_batch() {
	ctx := context.Background()
	c, err := nftables.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ip := nftables.Nfgenmsg{NfgenFamily: unix.AF_INET}
	b := c.NewBatch()
	b.Newtable(&nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("demo")}, genl.Create)
	b.Newchain(&nftables.ChainAttrs{Nfgenmsg: ip, Table: genl.Some("demo"), Name: genl.Some("input"),
		Type: genl.Some("filter"),
		Hook: &nftables.NftHookAttrs{Num: genl.Some[uint32](1) /* NF_INET_LOCAL_IN */, Priority: genl.Some[int32](0)},
	}, genl.Create)
	b.Newrule(&nftables.RuleAttrs{Nfgenmsg: ip, Table: genl.Some("demo"), Chain: genl.Some("input"),
		Expressions: &nftables.ExprListAttrs{Elem: []nftables.ExprAttrs{
			{Name: genl.Some("counter"), Data: &nftables.ExprOps{Counter: &nftables.ExprCounterAttrs{}}},
			{Name: genl.Some("immediate"), Data: &nftables.ExprOps{Immediate: &nftables.ExprImmediateAttrs{
				Dreg: genl.Some[uint32](0), // NFT_REG_VERDICT
				Data: &nftables.DataAttrs{Verdict: &nftables.VerdictAttrs{Code: genl.Some(nftables.VerdictCodeAccept)}},
			}}},
		}},
	}, genl.Create, genl.Append)
	if _, err := b.Commit(ctx); err != nil {
		var be *genl.BatchError
		if errors.As(err, &be) {
			log.Fatalf("request %d (%s) refused, nothing applied: %v", be.Index, be.Op, be.Err)
		}
		log.Fatal(err)
	}
}
