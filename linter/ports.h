/* ports.h: the ports of a Service and of its backends, after Kubernetes' defaults.
 *
 * kube-proxy pairs a Service port with backend ports by (namespace, Service, port name, protocol),
 * never by number (k8s-semantics.md §1.6).  These helpers read ports with the defaults applied
 * (protocol TCP, name "") so that every rule compares them the same way.
 */
#ifndef SVCLINT_PORTS_H
#define SVCLINT_PORTS_H

#include <stdbool.h>

#include "arena.h"
#include "index.h"

/* A port with Kubernetes' defaults applied, and where its parts stand (a kept Service holds its ports
 * as texts and positions, without nodes: rule_report_at() and rule_note_at() point at them). */
struct port_ref {
	const char *name;		/* "" when unnamed */
	const char *protocol;		/* "TCP" when missing */
	long long number;		/* 0 when missing or not an integer */
	bool protocol_set;		/* protocol written (not missing, null or ""): else TCP by default */
	const struct object *owner;	/* the Service, Endpoints or EndpointSlice */
	unsigned int group;		/* Endpoints: subset index; slice: index in the backends' slices */
	struct position at;		/* the port's map */
	struct position name_at;	/* its name's value; line 0 when it has none */
	/* targetPort (Service ports): its value's position (line 0 when missing), its text when it is a
	 * string (a port name), and port_target_number()'s answer. */
	struct position target_at;
	const char *target_name;
	long long target;
};

struct port_list {
	struct port_ref *items;
	size_t count, capacity;
};

/* The name of a port map after defaulting ("" when missing or null). */
const char *port_name(const struct node *port);
/* The protocol of a port map after defaulting ("TCP" when missing or null). */
const char *port_protocol(const struct node *port);

/* Reads a port map of owner (NULL: a parsed tree's, not a kept object's) into *r, its positions as
 * object_node_position() reads them (owner and group left 0). */
void port_read(struct port_ref *r, const struct node *port, const struct object *owner);
/* Appends spec.ports of a Service. */
void ports_of_service(struct port_list *list, const struct object *service);
/* Whether spec.ports is a list with items. */
bool service_lists_ports(const struct object *service);
/* Where spec.ports stands, for a note: line 0 when it is missing. */
struct position service_ports_at(const struct object *service);
/* Appends the ports of every subset of an Endpoints (group = subset index). */
void ports_of_endpoints(struct port_list *list, const struct object *endpoints);
/* Appends the ports of an EndpointSlice (group = group). */
void ports_of_slice(struct port_list *list, const struct object *slice, unsigned int group);
/* Appends the ports of all of a Service's backends (Endpoints first, then slices in order). */
void ports_of_backends(struct port_list *list, const struct backends *backends);

/* The first port in list with that name and protocol, or NULL. */
const struct port_ref *ports_find(const struct port_list *list, const char *name, const char *protocol);
/* The first port in list with that name, whatever its protocol, or NULL. */
const struct port_ref *ports_named(const struct port_list *list, const char *name);

/*
 * ports_find() for a list searched once per port of another: a Service of thousands of ports (a
 * media server's port range) against Endpoints of as many would otherwise compare every pair.  A
 * list of up to PORT_FINDER_SHORT ports is searched in order; a longer one through its ports sorted
 * by name and protocol.  The list must not change while the finder is in use.
 */
#define PORT_FINDER_SHORT 16

struct port_finder {
	const struct port_list *list;
	const struct port_ref **sorted;	/* by name, protocol, then place in the list; NULL when short */
};

void port_finder_init(struct port_finder *finder, const struct port_list *list);
/* As port_finder_init(), for at most `lookups` look-ups: up to PORT_FINDER_SHORT are searched in order
 * (a monitor of one endpoint would sort a shared list of thousands of ports for one look-up). */
void port_finder_init_for(struct port_finder *finder, const struct port_list *list, size_t lookups);
/* What ports_find(finder->list, name, protocol) answers. */
const struct port_ref *port_finder_find(const struct port_finder *finder, const char *name, const char *protocol);
/* For a long list (sorted): where the ports of that name and protocol start in finder->sorted, in
 * list order; they run while the name and protocol stay equal (count when none). */
size_t port_finder_lower(const struct port_finder *finder, const char *name, const char *protocol);
/* Whether ports_named(finder->list, name) finds a port: a ServiceMonitor of thousands of endpoints
 * read the whole list for each. */
bool port_finder_has_name(const struct port_finder *finder, const char *name);
void port_finder_release(struct port_finder *finder);

/*
 * For each of count texts (NULL: takes no part), the index of the first earlier text equal to it, in
 * first[i], or count when none is.  By sorting: rules that look for a port name used twice compared
 * every pair, which a list of thousands of ports made take seconds.
 */
void texts_first_equal(const char *const *texts, size_t count, size_t *first);

void port_list_release(struct port_list *list);

/* A (protocol, number) of one port, for finding repeats: sort, then compare neighbours. */
struct port_number {
	const char *protocol;		/* after defaulting */
	long long number;
	unsigned int index;		/* position in the ports list: repeats keep source order */
	const struct node *at;		/* where a finding about it points */
};

/* Sorts by protocol, number, then index. */
void port_numbers_sort(struct port_number *numbers, size_t count);

/* ---- Comparing ports, for rules that pair a Service's ports with its backends' ---- */

/* Whether the port map writes a protocol (not missing, null or ""): else TCP was defaulted. */
bool port_protocol_is_set(const struct node *port);
/* Exactly TCP, UDP or SCTP, the protocols the API server accepts (case-sensitive). */
bool port_protocol_is_valid(const char *protocol);
/* A Service port's integer targetPort (1 to 65535), or 0 when it is missing, 0, a name or invalid (its
 * target). */
long long port_target_number(const struct port_ref *service_port);

/* "<what> 'http' (80/TCP)" or "the unnamed <what> (80/TCP)", what being e.g. "Service port"; the number
 * is left out when missing.  In arena. */
const char *port_describe(struct arena *arena, const char *what, const struct port_ref *port);

/* How a backend port comes close to a Service port it does not pair with, best first. */
enum port_likeness {
	PORT_LIKE_NONE,
	PORT_LIKE_PROTOCOL,	/* the same name with another protocol (often TCP by default) */
	PORT_LIKE_NAME,		/* a name one edit away, or differing only in case; same protocol */
	PORT_LIKE_UNNAMED,	/* one of the two is unnamed, the other named; same protocol */
	PORT_LIKE_NUMBER,	/* another name, same protocol, the number the Service port targets */
};

/*
 * The port of list closest to pairing with want (a Service port), skipping items whose skip[i] is
 * true (skip may be NULL) and items that do pair with want.  Among equally close ports, one whose
 * number is want's target (targetPort, else port) wins, then the first.  NULL when none is close;
 * otherwise *likeness says how it is close.
 */
const struct port_ref *ports_closest(const struct port_list *list, const bool *skip, const struct port_ref *want,
				     enum port_likeness *likeness);
/* Why backend is close to want, for a note: "it is named 'htp', one edit from 'http'".  In arena. */
const char *port_likeness_why(struct arena *arena, const struct port_ref *want, const struct port_ref *backend,
			      enum port_likeness likeness);
/* How to change backend (a <what>, e.g. "Endpoints port") so that it pairs with want: "rename Endpoints
 * port 'htp' to 'http'", "set protocol: UDP on Endpoints port 'dns'".  In arena. */
const char *port_likeness_fix(struct arena *arena, const char *what, const struct port_ref *want,
			      const struct port_ref *backend);

#endif
