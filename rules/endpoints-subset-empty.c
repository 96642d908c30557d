/* endpoints-subset-empty: an Endpoints subset with neither addresses nor notReadyAddresses. */
#include "rule.h"

#include <string.h>

/* Items in a list field; -1 when it holds something else (field-type-mismatch reports that). */
static long list_count(const struct node *n)
{
	if (!n || node_is_null(n))
		return 0;
	return node_is_seq(n) ? (long)n->count : -1;
}

/* A key of subset that is a misspelling of an address list (unknown-field reports it too), or NULL. */
static const char *misspelled_list(const struct node *subset)
{
	unsigned int i;

	for (i = 0; i < subset->count; i++) {
		const char *key = node_text(subset->u.pairs[i].key);

		if (!key || strcmp(key, "addresses") == 0 || strcmp(key, "notReadyAddresses") == 0)
			continue;
		if (edit_distance(key, "addresses", 2) <= 2 || edit_distance(key, "notReadyAddresses", 2) <= 2)
			return key;
	}
	return NULL;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets;
	unsigned int i;

	if (o->kind != KIND_ENDPOINTS || !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++) {
		const struct node *subset = subsets->u.items[i];
		const char *typo;
		const char *hint;
		long ready, not_ready;

		if (!node_is_map(subset))
			continue;
		ready = list_count(node_get(subset, "addresses"));
		not_ready = list_count(node_get(subset, "notReadyAddresses"));
		if (ready != 0 || not_ready != 0)
			continue;
		typo = misspelled_list(subset);
		hint = typo ? arena_printf(ctx->arena, " ('%s' is not a field, so the API server drops it)", typo) :
			      "";
		if (typo)
			rule_report(ctx, o, subset, "subset %u has no addresses%s: the API server rejects the Endpoints "
				    "(a subset must specify addresses or notReadyAddresses); spell the field addresses",
				    i, hint);
		else if (node_get(subset, "ports"))
			rule_report(ctx, o, subset, "subset %u has ports but no addresses: the API server rejects the "
				    "Endpoints (a subset must specify addresses or notReadyAddresses); list the "
				    "backends' IPs under addresses, or delete the subset", i);
		else
			rule_report(ctx, o, subset, "subset %u is empty: the API server rejects the Endpoints (a "
				    "subset must specify addresses or notReadyAddresses); list the backends' IPs under "
				    "addresses, or delete the subset (subsets: [] is allowed)", i);
	}
}

const struct rule rule_endpoints_subset_empty = {
	.id = "endpoints-subset-empty",
	.severity = SEVERITY_ERROR,
	.summary = "an Endpoints subset with neither addresses nor notReadyAddresses",
	.rationale = "each entry of subsets must list at least one address under addresses or "
		     "notReadyAddresses; the API server rejects the whole Endpoints otherwise.  This is often a "
		     "template whose address list came out empty, or ports written before the addresses.  An "
		     "Endpoints with no backends at all is written as subsets: [] (or without subsets).",
	.fix = "add the backends' IP addresses to the subset, or remove the subset.",
	.example = "subsets:\n- addresses:\n  - ip: 10.0.0.11\n  ports:\n  - name: metrics\n    port: 2379\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
