/* endpointslice-port-missing: a slice for a routed Service with no ports, or a port without a number. */
#include "rule.h"
#include "k8s.h"
#include "ports.h"

#include <string.h>

#define MIRRORING_CONTROLLER "endpointslicemirroring-controller.k8s.io"

static void check_slice(struct rule_ctx *ctx, const struct object *slice, const struct object *s)
{
	const struct node *ports = node_get(slice->root, "ports");
	const struct node *endpoints = node_get(slice->root, "endpoints");
	const struct node_pair *key = node_get_pair(slice->root, "ports");
	struct diag *d;
	unsigned int i;

	/* A slice without endpoints has no traffic to lose. */
	if (!node_is_seq(endpoints) || !endpoints->count)
		return;
	if (!ports || node_is_null(ports) || (node_is_seq(ports) && !ports->count)) {
		d = rule_report(ctx, slice, key ? key->key : NULL,
				"%s has %s, so kube-proxy, which sends each port of %s only to slice ports of the same "
				"name and protocol, gives its endpoints no traffic; list the ports, named (with the "
				"protocol) like the Service's ports and numbered as the backends listen",
				rule_describe(ctx, slice), key ? "an empty ports list" : "no ports", rule_describe(ctx, s));
		rule_note_at(d, s, service_ports_at(s), "the ports of %s", rule_describe(ctx, s));
		return;
	}
	if (!node_is_seq(ports))
		return;	/* field-type-mismatch */
	for (i = 0; i < ports->count; i++) {
		const struct node *port = ports->u.items[i];
		const struct node *number = node_get(port, "port");
		long long n = 0;
		bool missing;

		if (!node_is_map(port))
			continue;
		if (number && !node_is_null(number) && (!node_int(number, &n) || n != 0))
			continue;	/* a number, or a value of the wrong type (field-type-mismatch) */
		missing = !number || node_is_null(number);
		d = rule_report(ctx, slice, number ? number : port,
				"%s has %s: kube-proxy skips it%s, so this slice gives %s no endpoint for that port; "
				"write the port number the backends listen on",
				port_name(port)[0] ? arena_printf(ctx->arena, "EndpointSlice port '%s'", port_name(port))
						   : "the unnamed EndpointSlice port",
				missing ? "no port number" : "port 0",
				missing ? " (the API documents a missing number as \"all ports\", but kube-proxy does not "
					  "implement that)" : "",
				rule_describe(ctx, s));
		rule_note_at(d, s, service_ports_at(s), "the ports of %s", rule_describe(ctx, s));
	}
}

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i, k;

	for (i = 0; i < index->kind_count[KIND_SERVICE]; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];
		struct backends b;

		/* Headless Services need no ports (DNS only); slices added to a selector Service are
		 * endpointslice-on-selector-service's concern.  A Service defined twice (duplicate-object) is left
		 * alone: which one applies is unknown. */
		if (!s->name[0] || !object_is_unique(index, s) ||
		    !service_is_proxied(s) || !service_is_selectorless(s))
			continue;
		index_backends_of(index, s, &b);
		for (k = 0; k < b.slice_count; k++) {
			const struct object *slice = b.slices[k].object;
			const char *managed = object_label(slice, LABEL_MANAGED_BY_SLICE);
			const struct node *type = node_get(slice->root, "addressType");

			/* FQDN slices are never routed (endpointslice-fqdn); mirrored copies follow their
			 * Endpoints (endpoints-missing-ports). */
			if (!node_text_eq(type, "IPv4") && !node_text_eq(type, "IPv6"))
				continue;
			if (managed && strcmp(managed, MIRRORING_CONTROLLER) == 0)
				continue;
			check_slice(ctx, slice, s);
		}
		backends_release(&b);
	}
}

const struct rule rule_endpointslice_port_missing = {
	.id = "endpointslice-port-missing",
	.severity = SEVERITY_ERROR,
	.summary = "an EndpointSlice of a routed Service has no ports, or a port without a number",
	.rationale = "kube-proxy sends each Service port only to slice ports of the same name and protocol.  A "
		     "slice without ports (missing or []) gives its endpoints no traffic, and kube-proxy skips a "
		     "slice port whose number is missing or 0.  The API documents a missing number as \"all "
		     "ports\", and validation requires neither ports nor numbers, but kube-proxy does not implement "
		     "that meaning.  Headless Services, which need no ports, are not checked.",
	.fix = "list the ports, each named and with the protocol of the Service port it serves, and the number "
	       "the backends listen on.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: search\n  namespace: web\nspec:\n"
		   "  ports:\n  - name: http\n    port: 9200\n---\n"
		   "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: search-1\n"
		   "  namespace: web\n  labels:\n    kubernetes.io/service-name: search\n"
		   "    endpointslice.kubernetes.io/managed-by: search-team\naddressType: IPv4\n"
		   "endpoints:\n- addresses: [10.40.0.8]\nports:\n- name: http\n  port: 9200\n  protocol: TCP\n",
	.check_index = check_index,
};
