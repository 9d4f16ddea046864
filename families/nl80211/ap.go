package nl80211

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/ynlgo/ynl/genl"
)

// Station flags: bit numbers of the mask and set of sta-flags2
// (enum nl80211_sta_flags).
const (
	StaFlagAuthorized    = 1
	StaFlagShortPreamble = 2
	StaFlagWME           = 3
	StaFlagMFP           = 4
	StaFlagAuthenticated = 5
	StaFlagTDLSPeer      = 6
	StaFlagAssociated    = 7
)

// AccessPoint is the minimal user-space MLME of an open access point:
// mac80211 leaves authentication and association of clients to user space
// (hostapd), so an AP started with start-ap answers nobody until something
// registers for those frames, answers them and adds the stations.
//
// Start registers for authentication and association requests on the
// interface; Next then handles frames as they come: an open-system
// authentication gets a success response, an association request gets
// the station added (authenticated, associated, authorized) and a success
// response with the next AID (a repeated one from an associated station
// the same response again), and a deauthentication or disassociation gets
// the station removed.
type AccessPoint struct {
	Client  *Client
	Ifindex uint32
	BSSID   net.HardwareAddr
	Rates   []Rate // advertised in association responses; RatesBG if nil

	fs      *FrameSocket
	nextAID uint16
	aids    map[string]uint16 // associated stations' AIDs, by MAC
}

// MLMEEvent is what the AccessPoint did with one frame.
type MLMEEvent struct {
	Frame  uint16           // the frame's type (FrameAuth, FrameAssocRequest, ...)
	Peer   net.HardwareAddr // the client's address
	Status uint16           // status code sent back, or the reason code received
	AID    uint16           // association id given, for an association
	// Repeated is set for an association request from a station already
	// associated: a client that did not get our response in time sends
	// it again; it is answered again with the same AID.
	Repeated bool
	Request  *Attrs // the frame notification
}

// Start opens the AccessPoint's frame socket and registers for
// authentication, (re)association requests, deauthentication and
// disassociation.
func (ap *AccessPoint) Start(ctx context.Context) error {
	fs, err := ap.Client.OpenFrameSocket(ctx)
	if err != nil {
		return err
	}
	for _, t := range []uint16{FrameAuth, FrameAssocRequest, FrameReassocRequest, FrameDeauth, FrameDisassoc} {
		if err := fs.Register(ctx, ap.Ifindex, t, nil); err != nil {
			fs.Close()
			return fmt.Errorf("register for frame type %#04x: %w", t, err)
		}
	}
	ap.fs, ap.nextAID = fs, 1
	return nil
}

// Close ends the registrations.
func (ap *AccessPoint) Close() error {
	if ap.fs == nil {
		return nil
	}
	return ap.fs.Close()
}

// Next waits for the next registered frame and handles it.
func (ap *AccessPoint) Next(ctx context.Context) (*MLMEEvent, error) {
	if ap.fs == nil {
		return nil, fmt.Errorf("access point %d: not started", ap.Ifindex)
	}
	n, err := ap.fs.Receive(ctx)
	if err != nil {
		return nil, err
	}
	return ap.Handle(ctx, n)
}

// Handle answers one frame notification.
func (ap *AccessPoint) Handle(ctx context.Context, n *Attrs) (*MLMEEvent, error) {
	f, err := ParseMgmt(n.Frame)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(f.BSSID, ap.BSSID) {
		return nil, fmt.Errorf("frame %#04x from %s for BSSID %s, not ours (%s)", f.Subtype(), f.SA, f.BSSID, ap.BSSID)
	}
	ev := &MLMEEvent{Frame: f.Subtype(), Peer: append(net.HardwareAddr(nil), f.SA...), Request: n}
	switch ev.Frame {
	case FrameAuth:
		return ev, ap.auth(ctx, f, ev)
	case FrameAssocRequest, FrameReassocRequest:
		return ev, ap.assoc(ctx, f, ev)
	case FrameDeauth, FrameDisassoc:
		return ev, ap.leave(ctx, f, ev)
	}
	return ev, fmt.Errorf("frame %#04x from %s: not handled", ev.Frame, f.SA)
}

// auth answers an authentication request: success for open system,
// "algorithm not supported" (13) for anything else.
func (ap *AccessPoint) auth(ctx context.Context, f *MgmtFrame, ev *MLMEEvent) error {
	a, err := ParseAuth(f.Body)
	if err != nil {
		return fmt.Errorf("authentication from %s: %w", f.SA, err)
	}
	if a.Seq != 1 {
		return fmt.Errorf("authentication from %s: transaction sequence %d, want 1", f.SA, a.Seq)
	}
	if a.Algorithm != AuthAlgOpen {
		ev.Status = 13
	}
	frame, err := AuthFrame(f.SA, ap.BSSID, ap.BSSID, &Auth{Algorithm: a.Algorithm, Seq: 2, Status: ev.Status})
	if err != nil {
		return err
	}
	_, err = ap.fs.Send(ctx, &Attrs{Ifindex: genl.Some(ap.Ifindex), Frame: frame})
	return err
}

// assoc adds the client as an authorized station and answers its
// association request.
func (ap *AccessPoint) assoc(ctx context.Context, f *MgmtFrame, ev *MLMEEvent) error {
	r, err := ParseAssocRequest(f.Body, ev.Frame == FrameReassocRequest)
	if err != nil {
		return fmt.Errorf("association request from %s: %w", f.SA, err)
	}
	rates := r.Elements.SupportedRates()
	if len(rates) == 0 {
		return fmt.Errorf("association request from %s: no supported rates", f.SA)
	}
	aid, known := ap.aids[ev.Peer.String()]
	if !known {
		aid = ap.nextAID
	}
	ev.AID = aid
	const flags = 1<<StaFlagAuthenticated | 1<<StaFlagAssociated | 1<<StaFlagAuthorized
	err = ap.Client.NewStation(ctx, &Attrs{
		Ifindex: genl.Some(ap.Ifindex), MAC: ev.Peer,
		StaFlags2:         &StaFlagUpdate{Mask: flags, Set: flags},
		StaSupportedRates: rateBytes(rates),
		StaAid:            genl.Some(ev.AID),
		StaListenInterval: genl.Some(r.ListenInterval),
		StaCapability:     genl.Some(r.Capability),
	})
	switch {
	case known && errors.Is(err, syscall.EEXIST):
		ev.Repeated = true
	case err != nil:
		return fmt.Errorf("association of %s: %w", f.SA, err)
	default:
		if ap.aids == nil {
			ap.aids = map[string]uint16{}
		}
		ap.aids[ev.Peer.String()] = aid
		ap.nextAID++
	}
	ours := ap.Rates
	if ours == nil {
		ours = RatesBG
	}
	ies, err := AppendRates(nil, ours)
	if err != nil {
		return err
	}
	frame, err := AssocResponseFrame(f.SA, ap.BSSID, ap.BSSID, &AssocResponse{
		Capability: CapESS, Status: StatusSuccess, AID: ev.AID, Elements: ies,
		Reassoc: ev.Frame == FrameReassocRequest,
	})
	if err != nil {
		return err
	}
	_, err = ap.fs.Send(ctx, &Attrs{Ifindex: genl.Some(ap.Ifindex), Frame: frame})
	return err
}

// leave removes a station that deauthenticated or disassociated, as its
// frame's reason code says.
func (ap *AccessPoint) leave(ctx context.Context, f *MgmtFrame, ev *MLMEEvent) error {
	if len(f.Body) < 2 {
		return fmt.Errorf("frame %#04x from %s: body of %d bytes, want a reason code", ev.Frame, f.SA, len(f.Body))
	}
	ev.Status = binary.LittleEndian.Uint16(f.Body)
	delete(ap.aids, ev.Peer.String())
	err := ap.Client.DelStation(ctx, &Attrs{Ifindex: genl.Some(ap.Ifindex), MAC: ev.Peer})
	if errors.Is(err, syscall.ENOENT) {
		return nil // never associated, or already gone
	}
	return err
}
