package ethtool

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The overlay's SpeedUnknown is the header's SPEED_UNKNOWN (-1) as the
// u32 speed attribute carries it. (Duplex, autoneg and port values are
// checked against the ethtool command on a live veth.)
func TestOverlaySpeedUnknown(t *testing.T) {
	var s int32 = unix.SPEED_UNKNOWN
	if SpeedUnknown != uint32(s) {
		t.Errorf("SpeedUnknown = %#x, want %#x", SpeedUnknown, uint32(s))
	}
	if DuplexFull.String() != "full" || AutonegDisable.String() != "disable" || Duplex(7).String() != "7" {
		t.Errorf("enum names: %v %v %v", DuplexFull, AutonegDisable, Duplex(7))
	}
}
