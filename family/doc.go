// Package family loads YNL netlink family specs into a resolved model.
//
// A spec is the YAML description of a netlink family the kernel ships under
// Documentation/netlink/specs: its constants, enums and structs, attribute
// sets, operations, multicast groups and sub-messages. Loading a spec parses
// it, resolves every name it uses to a pointer (a nested attribute set, an
// enum, a struct, a notified operation, ...), numbers attributes and
// operations exactly as the kernel's own tools do, and validates it against
// the rules of its protocol (genetlink, genetlink-c, genetlink-legacy or
// netlink-raw). Consumers of a *Family never look a name up by string again.
//
//	f, err := family.Load("ethtool.yaml")
//	if err != nil {
//		log.Fatal(err) // every problem, one per line
//	}
//	op := f.Operations.Op("linkinfo-get")
//	fmt.Println(op.RequestValue, op.ReplyValue) // 2 2 (directional ids)
//
// # Errors
//
// A spec that fails to load gives an ErrorList holding every problem found
// in the spec and its overlays, sorted by position. Each is printed as
//
//	FILE:LINE:COL: SPEC-PATH: MESSAGE
//	demo.yaml:14:9: attribute-sets[main].attributes[stats]: nested-attributes "no-such-set" is not defined
//
// where the position is that of the offending YAML node and the spec path
// names list items by their name. Loading never panics, whatever the bytes.
//
// # Overlays
//
// Load and Parse accept overlays: YAML documents of the same shape as a spec
// that add or replace definitions, attribute sets and attributes,
// operations, multicast groups and sub-messages by name before the spec is
// resolved (see mergeOverlay's rules in overlay.go, repeated here):
//
//   - name and protocol may be omitted; when given they must equal the
//     spec's.
//   - definitions, attribute-sets, sub-messages, operations.list and
//     mcast-groups.list merge by name: a new name is appended, a known name
//     replaces the item in place; attribute sets merge their attributes (and
//     sub-messages their formats, by value) the same way, and their other
//     keys replace the base's.
//   - Any other key replaces the spec's value.
//
// Replaced items keep their place, so position-numbered attributes and
// operations keep their values, and appended ones take the next value.
//
// # Finding specs
//
// Find and LoadByName look a family up in the folders of YNL_SPEC_PATH
// (colon-separated, default /usr/share/ynl/specs) by family or file name;
// "net-shaper", "net_shaper" and "net_shaper.yaml" are the same.
//
// # Descriptors
//
// Family.Descriptor renders a loaded family as a canonical JSON spec with
// every value explicit, which Parse reads back into an equal model, so
// generated code can carry its spec without the YAML files.
package family
