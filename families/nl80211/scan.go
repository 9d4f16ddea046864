package nl80211

import (
	"context"
	"errors"
	"fmt"
)

// ErrScanAborted is returned by Scan when the kernel aborted the scan
// (scan-aborted), e.g. because abort-scan was sent or the interface went
// down.
var ErrScanAborted = errors.New("nl80211: scan aborted")

// Scan triggers a scan with req (Ifindex at least; ScanFrequencies and
// ScanSsids narrow it) and waits until it ends: it returns the
// new-scan-results notification, whose ScanFrequencies lists the channels
// scanned, after which GetScanDump lists what was found. A scan the kernel
// aborts returns ErrScanAborted. Give ctx a deadline: a scan of every
// channel takes seconds.
func (c *Client) Scan(ctx context.Context, req *Attrs) (*Attrs, error) {
	if !req.Ifindex.Valid {
		return nil, errors.New("nl80211 scan: no ifindex in the request")
	}
	// Subscribe first, so the end of a quick scan cannot be missed.
	sub, err := c.Subscribe(ctx, GroupScan)
	if err != nil {
		return nil, err
	}
	defer sub.Close()
	if err := c.TriggerScan(ctx, req); err != nil {
		return nil, err
	}
	for {
		n, err := sub.Receive(ctx)
		if err != nil {
			return nil, fmt.Errorf("nl80211 scan: waiting for the results: %w", err)
		}
		m, _ := n.Msg.(*Attrs)
		if m == nil || m.Ifindex != req.Ifindex {
			continue
		}
		switch n.Cmd {
		case CmdNewScanResults:
			return m, nil
		case CmdScanAborted:
			return nil, ErrScanAborted
		}
	}
}
