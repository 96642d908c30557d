/* service-target-port-invalid: a targetPort that is neither a port number nor an IANA service name. */
#include "rule.h"

#include <string.h>

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct service_ports *sp = rule_service_ports(ctx, o);
	const struct node *ports = sp->list;
	unsigned int i;

	if (o->kind != KIND_SERVICE || !node_is_seq(ports))
		return;
	for (i = 0; i < ports->count; i++) {
		const struct node *target = sp->items[i].target;
		const char *text = node_str(target);
		long long number;
		char why[128];

		if (node_int(target, &number)) {
			/* 0 is replaced by port when the Service is defaulted. */
			if (number != 0 && !port_is_valid(number))
				rule_report(ctx, o, target, "targetPort %s is out of range: a number must be 1 to 65535, "
					    "so the API server rejects the Service; use the backend's port number, or "
					    "leave targetPort out to use port", node_text(target));
			continue;
		}
		/* "" is replaced by port; other types are field-type-mismatch's. */
		if (!text || !text[0] || name_is_iana_svc_name_why(text, why, sizeof(why)))
			continue;
		if (text_is_placeholder(text))
			rule_report(ctx, o, target, "targetPort '%s' looks like a template placeholder that was never "
				    "filled in, and as written the API server rejects the Service; render the template "
				    "before applying, and lint the rendered manifests", text);
		else if (all_digits(text))
			rule_report(ctx, o, target, "targetPort \"%s\" is quoted, so it is a port name rather than a "
				    "number, and a port name must contain a letter: the API server rejects the Service; "
				    "write targetPort: %s without quotes", text, text);
		else if (strlen(text) > 15)
			rule_report(ctx, o, target, "targetPort '%s' names a port, and a port name is an IANA service "
				    "name of at most 15 characters, so no container port can carry it and the API "
				    "server rejects the Service; use the port number, or a name of 15 characters or "
				    "fewer (the Service port's own name may stay longer)", text);
		else
			rule_report(ctx, o, target, "targetPort '%s' is neither a number nor a valid port name (%s): the "
				    "API server rejects the Service; use the backend's port number, or a container port "
				    "name of lowercase letters, digits and single '-'", text, why);
	}
}

const struct rule rule_service_target_port_invalid = {
	.id = "service-target-port-invalid",
	.severity = SEVERITY_ERROR,
	.summary = "a targetPort out of 1 to 65535, or a string that is not an IANA service name",
	.rationale = "targetPort is a number (1 to 65535) or the name of a container port.  A name follows "
		     "IANA_SVC_NAME: 1 to 15 lowercase letters, digits and '-', at least one letter, no '-' at "
		     "either end and no '--'.  A quoted \"8080\" is a name without a letter, and a 20-character "
		     "name cannot exist on any container; the API server rejects both.  0 or \"\" mean 'same as "
		     "port'.  On a selectorless Service targetPort has no effect at all: traffic goes to the port "
		     "of the Endpoints or EndpointSlice.",
	.fix = "write numbers without quotes, shorten names to 15 characters, or leave targetPort out.",
	.example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: kube-scheduler-metrics\n  namespace: kube-system\n"
		   "spec:\n  ports:\n  - name: https-metrics\n    port: 10259\n    targetPort: 10259    # not \"10259\"\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_SERVICE),
};
