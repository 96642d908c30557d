/* endpointslice-limits: too many endpoints, addresses, ports or zone hints in an EndpointSlice. */
#include "rule.h"
#include "k8s.h"

/* pkg/apis/discovery/validation: maxEndpoints, maxAddresses, maxPorts, maxZoneHints. */
#define MAX_ENDPOINTS 1000
#define MAX_ADDRESSES 100
#define MAX_PORTS 20000
#define MAX_ZONE_HINTS 8

static void check_endpoint(struct rule_ctx *ctx, const struct object *o, const struct node *endpoint, unsigned int i)
{
	const struct node_pair *p = node_get_pair(endpoint, "addresses");
	const struct node_pair *zones = node_get_pair(node_get(endpoint, "hints"), "forZones");

	if (!p || node_is_null(p->value) || (node_is_seq(p->value) && p->value->count == 0))
		rule_report(ctx, o, p ? p->key : endpoint, "endpoint %u has no addresses: the API server rejects "
			    "the EndpointSlice (each endpoint needs one address); add the backend's address, or "
			    "remove the endpoint", i);
	else if (node_is_seq(p->value) && p->value->count > MAX_ADDRESSES)
		rule_report(ctx, o, p->key, "endpoint %u has %u addresses, more than the %d allowed: the API server "
			    "rejects the EndpointSlice; give each backend its own endpoint with one address", i,
			    p->value->count, MAX_ADDRESSES);
	else if (node_is_seq(p->value) && p->value->count == 2 && !slice_is_controller_made(o))
		rule_report_as(ctx, SEVERITY_INFO, o, p->value->u.items[1], "endpoint %u has 2 addresses, but "
			       "kube-proxy uses only the first (Kubernetes gives the others no meaning), so the second "
			       "gets no traffic through the Service; give each backend its own endpoint", i);
	else if (node_is_seq(p->value) && p->value->count > 2 && !slice_is_controller_made(o))
		rule_report_as(ctx, SEVERITY_INFO, o, p->value->u.items[1], "endpoint %u has %u addresses, but "
			       "kube-proxy uses only the first (Kubernetes gives the others no meaning), so the other %u "
			       "get no traffic through the Service; give each backend its own endpoint", i,
			       p->value->count, p->value->count - 1);
	if (zones && node_is_seq(zones->value) && zones->value->count > MAX_ZONE_HINTS)
		rule_report(ctx, o, zones->key, "endpoint %u has %u zone hints, more than the %d allowed: the API "
			    "server rejects the EndpointSlice; keep at most %d", i, zones->value->count,
			    MAX_ZONE_HINTS, MAX_ZONE_HINTS);
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node_pair *endpoints, *ports;
	unsigned int i;

	if (o->kind != KIND_ENDPOINTSLICE)
		return;
	endpoints = node_get_pair(o->root, "endpoints");
	ports = node_get_pair(o->root, "ports");
	if (endpoints && node_is_seq(endpoints->value)) {
		if (endpoints->value->count > MAX_ENDPOINTS)
			rule_report(ctx, o, endpoints->key, "this EndpointSlice has %u endpoints, more than the %d "
				    "allowed: the API server rejects it; split them across several slices with the "
				    "same kubernetes.io/service-name label", endpoints->value->count, MAX_ENDPOINTS);
		for (i = 0; i < endpoints->value->count; i++)
			if (node_is_map(endpoints->value->u.items[i]))
				check_endpoint(ctx, o, endpoints->value->u.items[i], i);
	}
	if (ports && node_is_seq(ports->value) && ports->value->count > MAX_PORTS)
		rule_report(ctx, o, ports->key, "this EndpointSlice has %u ports, more than the %d allowed: the API "
			    "server rejects it; split the ports across several slices", ports->value->count,
			    MAX_PORTS);
}

const struct rule rule_endpointslice_limits = {
	.id = "endpointslice-limits",
	.severity = SEVERITY_ERROR,
	.summary = "an EndpointSlice over its limits: endpoints, addresses per endpoint, ports, zone hints",
	.rationale = "the API server rejects an EndpointSlice with more than 1000 endpoints, an endpoint with no "
		     "address or more than 100, more than 20000 ports, or more than 8 zone hints on an "
		     "endpoint.  An endpoint with several addresses is accepted, but Kubernetes defines no meaning "
		     "for any address but the first, and kube-proxy ignores the others: they are reported as "
		     "advice (not for slices of Kubernetes' own controllers, which write one address each).",
	.fix = "give each backend its own endpoint with a single address, and spread more than 1000 "
	       "endpoints over several slices labelled for the same Service.",
	.example = "endpoints:\n- addresses:\n  - 10.0.0.11\n- addresses:\n  - 10.0.0.12\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTSLICE),
};
