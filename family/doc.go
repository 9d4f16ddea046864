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
// A spec or overlay larger than MaxSpecSize (16 MiB, some 200 times the
// largest kernel spec) is refused before it is parsed.
//
// # What a spec must say to be accepted
//
// Besides the schema of its protocol, a spec must describe messages the
// wire can carry and checks that can hold, so that code generated from it
// compiles and does what the spec says:
//
//   - attribute values are 0..16383 (nla_type keeps two bits for flags),
//     whether given or numbered;
//   - genetlink commands are 0..255, request and reply; netlink-raw
//     message types are not the control types below NLMSG_MIN_TYPE (16);
//   - every enum and flags entry fits the widest integer that carries it;
//   - checks apply to their type (bounds to integers, lengths to strings
//     and binary, flags-mask to unsigned integers, unterminated-ok to
//     strings) and can hold (within the type's range, lengths at most
//     65531 bytes and admitting a struct's or an address's size);
//   - a sub-message selector is an integer or a string attribute;
//   - notify chains do not loop;
//   - a nest-type-value names its nested-attributes, and there is no
//     indexed-array of flags.
//
// # Overlays
//
// Load and Parse accept overlays: YAML documents of the same shape as a spec
// that add or replace definitions, attribute sets and attributes,
// operations, multicast groups and sub-messages by name. Each overlay is
// merged into the spec, in order, before anything is resolved, and every
// merged node keeps the file it came from, so errors point into the
// overlay. The rules:
//
//   - name and protocol may be omitted; when given they must equal the
//     spec's (protocol genetlink when the spec has none).
//   - definitions, attribute-sets, sub-messages, operations.list and
//     mcast-groups.list merge by name: an item with a new name is
//     appended; an item with a name already present replaces that item in
//     place.
//   - Attribute sets and sub-messages are merged rather than replaced:
//     their own keys (doc, name-prefix, ...) replace the spec's, and their
//     attributes (by name) or formats (by value) replace in place or are
//     appended.
//   - Any other key (doc, version, operations.enum-model, kernel-family,
//     ...) replaces the spec's value.
//
// Replaced items keep their place and appended ones go last, so values
// numbered by position are stable: a replaced attribute or operation
// without an explicit value keeps its number, and an appended one takes
// the next.
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
