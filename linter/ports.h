/* ports.h: the ports of a Service and of its backends, after Kubernetes' defaults.
 *
 * kube-proxy pairs a Service port with backend ports by (namespace, Service, port name, protocol),
 * never by number (k8s-semantics.md §1.6).  These helpers read ports with the defaults applied
 * (protocol TCP, name "") so that every rule compares them the same way.
 */
#ifndef SVCLINT_PORTS_H
#define SVCLINT_PORTS_H

#include <stdbool.h>

#include "index.h"

struct port_ref {
	const char *name;		/* "" when unnamed */
	const char *protocol;		/* "TCP" when missing */
	long long number;		/* 0 when missing or not an integer */
	const struct node *node;	/* the port's map */
	const struct object *owner;	/* the Service, Endpoints or EndpointSlice */
	unsigned int group;		/* Endpoints: subset index; slice: index in the backends' slices */
};

struct port_list {
	struct port_ref *items;
	size_t count, capacity;
};

/* The name of a port map after defaulting ("" when missing or null). */
const char *port_name(const struct node *port);
/* The protocol of a port map after defaulting ("TCP" when missing or null). */
const char *port_protocol(const struct node *port);

/* Appends spec.ports of a Service. */
void ports_of_service(struct port_list *list, const struct object *service);
/* Appends the ports of every subset of an Endpoints (group = subset index). */
void ports_of_endpoints(struct port_list *list, const struct object *endpoints);
/* Appends the ports of an EndpointSlice (group = group). */
void ports_of_slice(struct port_list *list, const struct object *slice, unsigned int group);
/* Appends the ports of all of a Service's backends (Endpoints first, then slices in order). */
void ports_of_backends(struct port_list *list, const struct backends *backends);

/* The first port in list with that name and protocol, or NULL. */
const struct port_ref *ports_find(const struct port_list *list, const char *name, const char *protocol);

void port_list_release(struct port_list *list);

#endif
