/* ports.c: reading Service and backend ports with Kubernetes' defaults applied. */
#include "ports.h"

#include <stdlib.h>
#include <string.h>

const char *port_name(const struct node *port)
{
	const struct node *n = node_get(port, "name");

	return node_is_scalar(n) && !node_is_null(n) ? node_text(n) : "";
}

const char *port_protocol(const struct node *port)
{
	const struct node *p = node_get(port, "protocol");

	return node_is_scalar(p) && !node_is_null(p) && p->count ? node_text(p) : "TCP";
}

static void add(struct port_list *list, const struct node *port, const struct object *owner, unsigned int group)
{
	struct port_ref *r;
	long long number = 0;

	if (!node_is_map(port))
		return;
	GROW(list->items, list->capacity, list->count + 1);
	r = &list->items[list->count++];
	if (!node_int(node_get(port, "port"), &number))
		number = 0;
	r->name = port_name(port);
	r->protocol = port_protocol(port);
	r->number = number;
	r->node = port;
	r->owner = owner;
	r->group = group;
}

static void add_all(struct port_list *list, const struct node *ports, const struct object *owner,
		    unsigned int group)
{
	unsigned int i;

	if (!node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++)
		add(list, ports->u.items[i], owner, group);
}

void ports_of_service(struct port_list *list, const struct object *service)
{
	add_all(list, node_get(service->spec, "ports"), service, 0);
}

void ports_of_endpoints(struct port_list *list, const struct object *endpoints)
{
	const struct node *subsets = node_get(endpoints->root, "subsets");
	unsigned int i;

	if (!node_is_seq(subsets))
		return;
	for (i = 0; i < subsets->count; i++)
		add_all(list, node_get(subsets->u.items[i], "ports"), endpoints, i);
}

void ports_of_slice(struct port_list *list, const struct object *slice, unsigned int group)
{
	add_all(list, node_get(slice->root, "ports"), slice, group);
}

void ports_of_backends(struct port_list *list, const struct backends *backends)
{
	size_t i;

	if (backends->endpoints.object)
		ports_of_endpoints(list, backends->endpoints.object);
	for (i = 0; i < backends->slice_count; i++)
		ports_of_slice(list, backends->slices[i].object, (unsigned int)i);
}

const struct port_ref *ports_find(const struct port_list *list, const char *name, const char *protocol)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i].name, name) == 0 && strcmp(list->items[i].protocol, protocol) == 0)
			return &list->items[i];
	return NULL;
}

void port_list_release(struct port_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}
