package genl

import (
	"bytes"
	"context"
	"fmt"
)

// policyRequestNames names CTRL_CMD_GETPOLICY's request attributes for the
// paths in extended-ACK errors.
var policyRequestNames = &NameTable{Names: policyCtrlNames}

// Policy dumps the kernel's validation policy for every op of family
// (CTRL_CMD_GETPOLICY) and decodes it with DecodePolicyDump. Dump-only
// ops get their real commands from the family's op list.
func (c *Conn) Policy(ctx context.Context, family string) (*FamilyPolicy, error) {
	fam, err := c.Family(ctx, family)
	if err != nil {
		return nil, err
	}
	fp, err := c.dumpPolicy(ctx, family, -1)
	if err != nil {
		return nil, err
	}
	var cmds []uint8
	for _, op := range fam.Ops {
		if op.Flags&OpHasPolicy != 0 {
			cmds = append(cmds, uint8(op.ID))
		}
	}
	if len(cmds) != len(fp.Ops) {
		// Debian's 6.1 flags two nl80211 ops as having a policy that
		// its full dump leaves out: match what is listed, in order.
		if err := fp.resolveSubset(fam.Ops); err != nil {
			return nil, fmt.Errorf("%w (was the family reloaded?)", err)
		}
		return fp, nil
	}
	if err := fp.ResolveCmds(cmds); err != nil {
		return nil, fmt.Errorf("%w (was the family reloaded?)", err)
	}
	return fp, nil
}

// OpPolicy dumps and decodes the kernel's validation policy of one op of
// family: FamilyPolicy.Ops has one entry for cmd (none when the op takes
// no attributes), Policies what it refers to. A command the kernel does
// not list fails with an error matching errors.ErrUnsupported.
func (c *Conn) OpPolicy(ctx context.Context, family string, cmd uint8) (*FamilyPolicy, error) {
	fam, err := c.Family(ctx, family)
	if err != nil {
		return nil, err
	}
	if _, ok := fam.Op(cmd); !ok {
		return nil, &unsupportedOpError{family: family, cmd: cmd}
	}
	fp, err := c.dumpPolicy(ctx, family, int(cmd))
	if err != nil {
		return nil, err
	}
	if len(fp.Ops) == 1 {
		fp.Ops[0].Cmd = cmd // a dump-only op comes back as command 0
	}
	return fp, nil
}

// dumpPolicy runs CTRL_CMD_GETPOLICY for family (and op, if op >= 0) and
// decodes the replies.
func (c *Conn) dumpPolicy(ctx context.Context, family string, op int) (*FamilyPolicy, error) {
	var e Encoder
	e.String(policyCtrlFamName, family)
	if op >= 0 {
		e.Uint32(policyCtrlOp, uint32(op))
	}
	req := &Request{
		Family:  "nlctrl",
		Command: policyCtrlCmdGet,
		Attrs:   e.Bytes(),
		OpName:  "getpolicy",
		Names:   policyRequestNames,
	}
	var msgs [][]byte
	for m, err := range c.Dump(ctx, req) {
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, bytes.Clone(m.Data)) // Data is reused by Dump
	}
	return DecodePolicyDump(family, msgs)
}
