/* endpointslice-port-name-duplicate: two EndpointSlice ports with one name, two unnamed ones included. */
#include "rule.h"
#include "ports.h"

#include <string.h>

/* The port's name after defaulting ("" when unset), or NULL when name is not a string. */
static const char *name_of(const struct node *port)
{
	const struct node *name = node_get(port, "name");

	if (!name || node_is_null(name))
		return "";
	return node_str(name);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *ports;
	const char **names;
	size_t *firsts, i;

	if (o->kind != KIND_ENDPOINTSLICE || !node_is_seq(ports = node_get(o->root, "ports")) || ports->count < 2)
		return;
	names = arena_alloc(ctx->arena, ports->count * sizeof(*names));
	firsts = arena_alloc(ctx->arena, ports->count * sizeof(*firsts));
	for (i = 0; i < ports->count; i++)
		names[i] = node_is_map(ports->u.items[i]) ? name_of(ports->u.items[i]) : NULL;
	texts_first_equal(names, ports->count, firsts);
	for (i = 1; i < ports->count; i++) {
		const struct node *port = ports->u.items[i], *first, *at, *first_at;
		const char *name = names[i];
		struct diag *d;

		if (firsts[i] == ports->count)
			continue;
		first = ports->u.items[firsts[i]];
		at = node_get(port, "name") ? node_get(port, "name") : port;
		first_at = node_get(first, "name") ? node_get(first, "name") : first;
		if (!*name)
			d = rule_report(ctx, o, at, "a second unnamed port: EndpointSlice port names must be "
					"unique and an unnamed port counts as the name \"\", so the API server rejects "
					"the slice; name each port after the Service port it serves");
		else if (strcmp(port_protocol(port), port_protocol(first)) != 0)
			d = rule_report(ctx, o, at, "port name '%s' is used twice, with %s and %s: EndpointSlice "
					"port names must be unique even across protocols, so the API server rejects "
					"the slice; give each port its own name, as on the Service", name,
					port_protocol(first), port_protocol(port));
		else
			d = rule_report(ctx, o, at, "port name '%s' is used twice: EndpointSlice port names must "
					"be unique, so the API server rejects the slice; give each port its own "
					"name, as on the Service", name);
		if (*name)
			rule_note(d, o, first_at, "'%s' is first used here", name);
		else
			rule_note(d, o, first_at, "the first unnamed port");
	}
}

const struct rule rule_endpointslice_port_name_duplicate = {
	.id = "endpointslice-port-name-duplicate",
	.severity = SEVERITY_ERROR,
	.summary = "two ports of an EndpointSlice with the same name, or two without a name",
	.rationale = "the API server requires the port names in one EndpointSlice to be unique, even when the "
		     "protocols differ, and an unset name counts as \"\": two unnamed ports are a duplicate too.  "
		     "The whole slice is rejected.  kube-proxy matches a Service port to a slice port by name and "
		     "protocol, so each name should be the name of the Service port it serves.",
	.fix = "name every port after the Service port it serves (for example dns and dns-tcp for UDP and "
	       "TCP 53); a slice may have one unnamed port, for a Service with a single unnamed port.",
	.example = "ports:\n- name: dns\n  port: 53\n  protocol: UDP\n- name: dns-tcp\n  port: 53\n  protocol: TCP\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
