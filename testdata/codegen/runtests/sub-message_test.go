package submessage

// This test is copied next to the package generated from sub-message.yaml
// by the codegen compile test.

import (
	"bytes"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

func TestSubMessageSelectsFormat(t *testing.T) {
	for _, m := range []Link{
		{Kind: genl.Some("vlan"), Data: &LinkData{VLAN: &VLANAttrs{ID: genl.Some[uint16](42)}}},
		{Kind: genl.Some("bridge"), Data: &LinkData{Bridge: &BridgeAttrs{Stp: genl.Some[uint8](1)}}},
		{Kind: genl.Some("tagged"), Data: &LinkData{Tagged: &TagHdr{Tag: 7}}},
		{Kind: genl.Some("veth"), Data: &LinkData{Raw: []byte{1, 2, 3, 4}}},
	} {
		var e genl.Encoder
		m.Encode(&e)
		var got Link
		if err := got.Decode(e.Bytes()); err != nil {
			t.Fatal(err)
		}
		var e2 genl.Encoder
		got.Encode(&e2)
		if !bytes.Equal(e.Bytes(), e2.Bytes()) {
			t.Errorf("%s: round trip changed the bytes", m.Kind.Value)
		}
		switch m.Kind.Value {
		case "vlan":
			if got.Data.VLAN == nil || got.Data.VLAN.ID.Value != 42 {
				t.Errorf("vlan: %+v", got.Data)
			}
		case "tagged":
			if got.Data.Tagged == nil || got.Data.Tagged.Tag != 7 {
				t.Errorf("tagged: %+v", got.Data)
			}
		case "veth":
			if got.Data.Raw == nil || got.Data.VLAN != nil {
				t.Errorf("an unknown kind was not kept raw: %+v", got.Data)
			}
		}
	}
}

func TestSubMessageWithoutSelectorIsRaw(t *testing.T) {
	var e genl.Encoder
	(&Link{Data: &LinkData{VLAN: &VLANAttrs{ID: genl.Some[uint16](1)}}}).Encode(&e)
	var got Link
	if err := got.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got.Data.VLAN != nil || got.Data.Raw == nil {
		t.Errorf("without a kind the payload must stay raw: %+v", got.Data)
	}
}

// The selector may follow the sub-message on the wire: the format is
// chosen by the whole message, so decoding does not depend on attribute
// order and a decoded value encodes and decodes again to itself.
func TestSubMessageSelectorAfterPayload(t *testing.T) {
	var payload, e genl.Encoder
	payload.Uint16(AttrVLANAttrsID, 7)
	e.Binary(AttrLinkData, payload.Bytes())
	e.String(AttrLinkKind, "vlan")
	var got Link
	if err := got.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got.Data.VLAN == nil || got.Data.VLAN.ID.Value != 7 || got.Data.Raw != nil {
		t.Errorf("a selector after the payload was not used: %+v", got.Data)
	}
}

// A repeated selector counts by its last value, as any repeated
// attribute does.
func TestSubMessageRepeatedSelector(t *testing.T) {
	var payload, e genl.Encoder
	payload.Uint8(AttrBridgeAttrsStp, 1)
	e.String(AttrLinkKind, "vlan")
	e.Binary(AttrLinkData, payload.Bytes())
	e.String(AttrLinkKind, "bridge")
	var got Link
	if err := got.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got.Data.Bridge == nil || got.Data.Bridge.Stp.Value != 1 || got.Data.VLAN != nil {
		t.Errorf("the last selector was not used: %+v", got.Data)
	}
}
