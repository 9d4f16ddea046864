package family

// Overlay merge rules. An overlay is a YAML document of the same shape as a
// spec, merged into the base spec before anything is resolved; every merged
// node keeps the file it came from, so errors point into the overlay.
//
//   - name and protocol may be omitted; when given they must equal the
//     base spec's (protocol genetlink when the base has none).
//   - definitions, attribute-sets, sub-messages, operations.list and
//     mcast-groups.list are merged by name: an item whose name is new is
//     appended; an item with a name already present replaces it in place,
//     except attribute sets and sub-messages, which are merged: their own
//     keys (doc, name-prefix, ...) replace the base's, and their attributes
//     (by name) or formats (by value) replace in place or are appended.
//   - Any other key (doc, version, operations.enum-model, kernel-family,
//     ...) replaces the base's value.
//
// Since replaced items keep their place and appended items go last, values
// numbered by position are stable: a replaced attribute or operation without
// an explicit value keeps its number, and an appended one takes the next.

// mergeOverlay merges overlay ov into base, reporting conflicts into el.
func mergeOverlay(el *errs, base, ov *node) {
	for i, k := range ov.keys {
		v := ov.vals[i]
		switch k.value {
		case "name":
			if b := base.get("name"); b != nil && v.value != b.value {
				el.add(v, "", "overlay is for family %q but the spec is %q", v.value, b.value)
			}
		case "protocol":
			want := base.get("protocol").str()
			if want == "" {
				want = string(ProtocolGenetlink)
			}
			if v.value != want {
				el.add(v, "", "overlay protocol %q does not match the spec's %q", v.value, want)
			}
		case "definitions":
			mergeList(el, base, k, v, "name", k.value, nil)
		case "attribute-sets":
			mergeList(el, base, k, v, "name", k.value, mergeAttrSet)
		case "sub-messages":
			mergeList(el, base, k, v, "name", k.value, mergeSubMessage)
		case "operations", "mcast-groups":
			mergeListHolder(el, base, k, v)
		default:
			base.set(k, v)
		}
	}
}

// mergeListHolder merges a mapping holding a named "list" (operations,
// mcast-groups): the list by name, the other keys by replacement.
func mergeListHolder(el *errs, base, k, v *node) {
	b := base.get(k.value)
	if b == nil || b.kind != mapNode || v.kind != mapNode {
		base.set(k, v)
		return
	}
	for i, kk := range v.keys {
		if kk.value == "list" {
			mergeList(el, b, kk, v.vals[i], "name", k.value+".list", nil)
			continue
		}
		b.set(kk, v.vals[i])
	}
}

// mergeList merges the overlay list v into the list at key k of base,
// matching items by the value of key id; merge, when set, combines two
// matching items, else the overlay item replaces the base item.
func mergeList(el *errs, base, k, v *node, id, path string, merge func(el *errs, b, o *node, path string)) {
	b := base.get(k.value)
	if b == nil || b.kind != seqNode || v.kind != seqNode {
		base.set(k, v)
		return
	}
	for _, item := range v.items {
		name := item.get(id)
		if item.kind != mapNode || name == nil || name.kind != scalarNode {
			el.add(item, path, "overlay items must be mappings with a %q", id)
			continue
		}
		ipath := path + "[" + name.value + "]"
		replaced := false
		for j, bi := range b.items {
			if bi.get(id).str() == name.value && bi.get(id) != nil {
				if merge != nil {
					merge(el, bi, item, ipath)
				} else {
					b.items[j] = item
				}
				replaced = true
				break
			}
		}
		if !replaced {
			b.items = append(b.items, item)
		}
	}
}

// mergeAttrSet merges an overlay attribute set into the base set.
func mergeAttrSet(el *errs, b, o *node, path string) {
	mergeNamed(el, b, o, "attributes", "name", path)
}

// mergeSubMessage merges an overlay sub-message into the base one.
func mergeSubMessage(el *errs, b, o *node, path string) {
	mergeNamed(el, b, o, "formats", "value", path)
}

// mergeNamed merges mapping o into b: the list at key list by id, other
// keys by replacement.
func mergeNamed(el *errs, b, o *node, list, id, path string) {
	for i, k := range o.keys {
		if k.value == list {
			mergeList(el, b, k, o.vals[i], id, path+"."+list, nil)
			continue
		}
		b.set(k, o.vals[i])
	}
}
