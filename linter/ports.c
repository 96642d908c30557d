/* ports.c: reading Service and backend ports with Kubernetes' defaults applied. */
#include "ports.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names.h"

/* A port's name from its value node: "" when missing or null. */
static const char *name_text(const struct node *n)
{
	return node_is_scalar(n) && !node_is_null(n) ? node_text(n) : "";
}

/* Whether a protocol value node writes one (not missing, null or ""). */
static bool protocol_written(const struct node *p)
{
	return node_is_scalar(p) && !node_is_null(p) && p->count;
}

const char *port_name(const struct node *port)
{
	return name_text(node_get(port, "name"));
}

const char *port_protocol(const struct node *port)
{
	const struct node *p = node_get(port, "protocol");

	return protocol_written(p) ? node_text(p) : "TCP";
}

void port_read(struct port_ref *r, const struct node *port, const struct object *owner)
{
	const struct node *name = node_get(port, "name"), *protocol = node_get(port, "protocol");
	const struct node *target = node_get(port, "targetPort");
	long long n;

	memset(r, 0, sizeof(*r));
	if (!node_int(node_get(port, "port"), &r->number))
		r->number = 0;
	r->name = name_text(name);
	r->protocol_set = protocol_written(protocol);
	r->protocol = r->protocol_set ? node_text(protocol) : "TCP";
	r->at = object_node_position(owner, port);
	r->name_at = object_node_position(owner, name);
	r->target_at = object_node_position(owner, target);
	r->target_name = node_str(target);
	r->target = node_int(target, &n) && port_is_valid(n) ? n : 0;
}

static void add(struct port_list *list, const struct node *port, const struct object *owner, unsigned int group)
{
	struct port_ref *r;

	if (!node_is_map(port))
		return;
	GROW(list->items, list->capacity, list->count + 1);
	r = &list->items[list->count++];
	port_read(r, port, owner);
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
	const struct port_set *set = object_port_set(service);
	unsigned int i, base = service->position.line;	/* the lines of a set count from there */

	if (!set) {
		add_all(list, node_get(service->spec, "ports"), service, 0);
		return;
	}
	GROW(list->items, list->capacity, list->count + set->count);
	for (i = 0; i < set->count; i++) {
		const struct port_record *p = &set->items[i];
		struct port_ref *r = &list->items[list->count++];

		memset(r, 0, sizeof(*r));
		r->name = p->name;
		r->protocol = p->protocol;
		r->number = p->number;
		r->protocol_set = p->protocol_set;
		r->owner = service;
		r->at.line = base + (unsigned int)p->line;
		r->at.column = p->column;
		if (p->name_lines) {
			r->name_at.line = r->at.line + p->name_lines - 1u;
			r->name_at.column = p->name_column;
		}
		if (p->target_lines) {
			r->target_at.line = r->at.line + p->target_lines - 1u;
			r->target_at.column = p->target_column;
		}
		r->target_name = p->target_name;
		r->target = p->target;
	}
}

bool service_lists_ports(const struct object *service)
{
	const struct node *ports;

	if (object_port_set(service))
		return object_port_set(service)->listed > 0;
	ports = node_get(service->spec, "ports");
	return node_is_seq(ports) && ports->count > 0;
}

struct position service_ports_at(const struct object *service)
{
	const struct port_set *set = object_port_set(service);
	struct position at;

	if (!set)
		return object_node_position(service, node_get(service->spec, "ports"));
	at.line = service->position.line + (unsigned int)set->line;
	at.column = set->column;
	return at;
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

bool port_protocol_is_set(const struct node *port)
{
	return protocol_written(node_get(port, "protocol"));
}

bool port_protocol_is_valid(const char *protocol)
{
	return strcmp(protocol, "TCP") == 0 || strcmp(protocol, "UDP") == 0 || strcmp(protocol, "SCTP") == 0;
}

long long port_target_number(const struct port_ref *service_port)
{
	return service_port->target;
}

const char *port_describe(struct arena *arena, const char *what, const struct port_ref *port)
{
	const char *number = port->number ? arena_printf(arena, "%lld/%s", port->number, port->protocol)
					  : port->protocol;

	if (port->name[0])
		return arena_printf(arena, "%s '%s' (%s)", what, port->name, number);
	return arena_printf(arena, "the unnamed %s (%s)", what, number);
}

static enum port_likeness likeness_of(const struct port_ref *want, const struct port_ref *backend, long long target)
{
	bool same_name = strcmp(want->name, backend->name) == 0;
	bool same_protocol = strcmp(want->protocol, backend->protocol) == 0;

	if (same_name)
		return same_protocol ? PORT_LIKE_NONE : PORT_LIKE_PROTOCOL;
	if (!same_protocol)
		return PORT_LIKE_NONE;
	if (!want->name[0] || !backend->name[0])
		return PORT_LIKE_UNNAMED;
	if (strcasecmp(want->name, backend->name) == 0 || edit_distance(want->name, backend->name, 1) <= 1)
		return PORT_LIKE_NAME;
	if (target && backend->number == target)
		return PORT_LIKE_NUMBER;
	return PORT_LIKE_NONE;
}

const struct port_ref *ports_closest(const struct port_list *list, const bool *skip, const struct port_ref *want,
				     enum port_likeness *likeness)
{
	long long target = port_target_number(want) ? port_target_number(want) : want->number;
	const struct port_ref *best = NULL;
	enum port_likeness best_likeness = PORT_LIKE_NONE;
	bool best_number = false;
	size_t i;

	for (i = 0; i < list->count; i++) {
		const struct port_ref *p = &list->items[i];
		enum port_likeness l;
		bool number;

		if (skip && skip[i])
			continue;
		l = likeness_of(want, p, target);
		if (l == PORT_LIKE_NONE)
			continue;
		number = target && p->number == target;
		if (!best || l < best_likeness || (l == best_likeness && number && !best_number)) {
			best = p;
			best_likeness = l;
			best_number = number;
		}
	}
	*likeness = best_likeness;
	return best;
}

const char *port_likeness_why(struct arena *arena, const struct port_ref *want, const struct port_ref *backend,
			      enum port_likeness likeness)
{
	const char *also = want->name[0] ? arena_printf(arena, "also named '%s'", want->name) : "also unnamed";

	switch (likeness) {
	case PORT_LIKE_PROTOCOL:
		if (!backend->protocol_set)
			return arena_printf(arena, "this port is %s, but it has no protocol, so it defaults to TCP, not %s",
					    also, want->protocol);
		return arena_printf(arena, "this port is %s, but its protocol is %s, not %s", also, backend->protocol,
				    want->protocol);
	case PORT_LIKE_NAME:
		if (strcasecmp(want->name, backend->name) == 0)
			return arena_printf(arena, "this port is named '%s', which differs from '%s' only in case "
					    "(names are matched exactly)", backend->name, want->name);
		return arena_printf(arena, "this port is named '%s', one edit from '%s'", backend->name, want->name);
	case PORT_LIKE_UNNAMED:
		if (!want->name[0])
			return arena_printf(arena, "this port is named '%s', but an unnamed Service port pairs only with "
					    "an unnamed port", backend->name);
		return arena_printf(arena, "this port is unnamed, but Service port '%s' pairs only with a port of "
				    "that exact name", want->name);
	case PORT_LIKE_NUMBER:
		return arena_printf(arena, "this port has the number %lld that the Service port targets, but it is "
				    "named '%s' (numbers play no part in pairing)", backend->number, backend->name);
	case PORT_LIKE_NONE:
		break;
	}
	return "";
}

const char *port_likeness_fix(struct arena *arena, const char *what, const struct port_ref *want,
			      const struct port_ref *backend)
{
	const char *subject, *name = NULL;

	subject = backend->name[0] ? arena_printf(arena, "%s '%s'", what, backend->name)
				   : arena_printf(arena, "the unnamed %s", what);
	if (strcmp(want->name, backend->name) != 0) {
		if (!want->name[0])
			name = arena_printf(arena, "remove the name '%s' from the %s", backend->name, what);
		else if (!backend->name[0])
			name = arena_printf(arena, "name %s '%s'", subject, want->name);
		else
			name = arena_printf(arena, "rename %s to '%s'", subject, want->name);
	}
	if (strcmp(want->protocol, backend->protocol) == 0)
		return name ? name : "";
	if (name)
		return arena_printf(arena, "%s and set its protocol to %s", name, want->protocol);
	return arena_printf(arena, "set protocol: %s on %s", want->protocol, subject);
}

static int compare_numbers(const void *a, const void *b)
{
	const struct port_number *x = a, *y = b;
	int c = strcmp(x->protocol, y->protocol);

	if (c)
		return c;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

const struct port_ref *ports_named(const struct port_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i].name, name) == 0)
			return &list->items[i];
	return NULL;
}

static int compare_refs(const void *pa, const void *pb)
{
	const struct port_ref *a = *(const struct port_ref *const *)pa, *b = *(const struct port_ref *const *)pb;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = strcmp(a->protocol, b->protocol);
	return c ? c : (a > b) - (a < b);
}

void port_finder_init(struct port_finder *finder, const struct port_list *list)
{
	port_finder_init_for(finder, list, SIZE_MAX);
}

void port_finder_init_for(struct port_finder *finder, const struct port_list *list, size_t lookups)
{
	size_t i;

	finder->list = list;
	finder->sorted = NULL;
	if (list->count <= PORT_FINDER_SHORT || lookups <= PORT_FINDER_SHORT)
		return;
	finder->sorted = xmalloc(list->count * sizeof(*finder->sorted));
	for (i = 0; i < list->count; i++)
		finder->sorted[i] = &list->items[i];
	qsort(finder->sorted, list->count, sizeof(*finder->sorted), compare_refs);
}

size_t port_finder_lower(const struct port_finder *finder, const char *name, const char *protocol)
{
	size_t low = 0, high = finder->list->count;

	/* The first of the sorted ports not before (name, protocol): the earliest in the list of equal ones. */
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct port_ref *p = finder->sorted[mid];
		int c = strcmp(p->name, name);

		if (!c)
			c = strcmp(p->protocol, protocol);
		if (c < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (low < finder->list->count && strcmp(finder->sorted[low]->name, name) == 0 &&
	    strcmp(finder->sorted[low]->protocol, protocol) == 0)
		return low;
	return finder->list->count;
}

const struct port_ref *port_finder_find(const struct port_finder *finder, const char *name, const char *protocol)
{
	size_t k;

	if (!finder->sorted)
		return ports_find(finder->list, name, protocol);
	k = port_finder_lower(finder, name, protocol);
	return k < finder->list->count ? finder->sorted[k] : NULL;
}

bool port_finder_has_name(const struct port_finder *finder, const char *name)
{
	size_t low = 0, high = finder->list->count;

	if (!finder->sorted)
		return ports_named(finder->list, name) != NULL;
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (strcmp(finder->sorted[mid]->name, name) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low < finder->list->count && strcmp(finder->sorted[low]->name, name) == 0;
}

void port_finder_release(struct port_finder *finder)
{
	free(finder->sorted);
	finder->sorted = NULL;
}

struct indexed_text {
	const char *text;
	size_t index;
};

static int compare_indexed_texts(const void *pa, const void *pb)
{
	const struct indexed_text *a = pa, *b = pb;
	int c = strcmp(a->text, b->text);

	return c ? c : (a->index > b->index) - (a->index < b->index);
}

void texts_first_equal(const char *const *texts, size_t count, size_t *first)
{
	struct indexed_text *sorted = xmalloc((count + 1) * sizeof(*sorted));
	size_t n = 0, i;

	for (i = 0; i < count; i++) {
		first[i] = count;
		if (texts[i]) {
			sorted[n].text = texts[i];
			sorted[n++].index = i;
		}
	}
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), compare_indexed_texts);
	for (i = 1; i < n; i++)
		if (strcmp(sorted[i].text, sorted[i - 1].text) == 0)
			first[sorted[i].index] = first[sorted[i - 1].index] < count ? first[sorted[i - 1].index]
										       : sorted[i - 1].index;
	free(sorted);
}

void port_numbers_sort(struct port_number *numbers, size_t count)
{
	if (count > 1)
		qsort(numbers, count, sizeof(*numbers), compare_numbers);
}
