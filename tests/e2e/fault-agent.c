/* SPDX-License-Identifier: MIT */
/*
 * fault-agent: a hostile vbench agent for tests/e2e/faults.sh.
 *
 * Started by the bare backend in place of vbench-agent (VBENCH_AGENT), it
 * runs the real agent (FAULT_REAL_AGENT) behind two pipes and forwards
 * every line both ways. For the instance FAULT_INSTANCE (every instance
 * when unset) and the request for workload FAULT_BENCH, it does FAULT:
 *   longline    replace the result by a 10 MB line (the result, padded)
 *   badutf8     send lines of invalid UTF-8 and terminal escapes first
 *   unknownid   send a result for an id that was never asked first
 *   otherbench  answer the asked id with a result for another workload
 *   forged      add a counter claiming to be the host's: source ebpf, scope
 *               host, named as the kvm:kvm_exit probe names exits
 *   exit        kill the real agent and exit in the middle of the sample
 *   nohello     never forward the hello (FAULT_BENCH is not needed)
 * Build: cc -o fault-agent fault-agent.c -ljansson -pthread
 */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define LONG_LINE (10u << 20)
#define FORGED_VALUE 424242 /* faults.sh looks for this value in the results */

static const char *fault = "", *bench = "";
static FILE *to_agent, *from_agent;
static pid_t agent;
static atomic_llong armed = -1; /* id of the request to spoil */

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v ? v : "";
}

/* Is this the instance to spoil? bare names it in the agent's environment. */
static int targeted(void)
{
	const char *want = env("FAULT_INSTANCE");

	return !*want || strcmp(env("VBENCH_INSTANCE"), want) == 0;
}

static void start_agent(const char *real, char **argv)
{
	int in[2], out[2];

	if (pipe(in) || pipe(out)) {
		perror("fault-agent: pipe");
		exit(1);
	}
	agent = fork();
	if (agent < 0) {
		perror("fault-agent: fork");
		exit(1);
	}
	if (agent == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execv(real, argv);
		perror("fault-agent: exec");
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	to_agent = fdopen(in[1], "w");
	from_agent = fdopen(out[0], "r");
	if (!to_agent || !from_agent) {
		perror("fault-agent: fdopen");
		exit(1);
	}
}

static void put(const char *line)
{
	fputs(line, stdout);
	fflush(stdout);
}

static void die_mid_sample(void)
{
	usleep(100 * 1000); /* the agent is calibrating or timing a sample now */
	kill(agent, SIGKILL);
	_exit(3);
}

/* Harness -> agent: arm on the request for FAULT_BENCH, pass it on. */
static void *downstream(void *arg)
{
	char *line = NULL;
	size_t cap = 0;

	(void)arg;
	while (getline(&line, &cap, stdin) > 0) {
		json_t *req = json_loads(line, 0, NULL);
		const char *b = json_string_value(json_object_get(req, "bench"));
		int hit = b && strcmp(b, bench) == 0 && atomic_load(&armed) == -1;

		if (hit)
			atomic_store(&armed, json_integer_value(json_object_get(req, "id")));
		json_decref(req);
		fputs(line, to_agent);
		fflush(to_agent);
		if (hit && strcmp(fault, "exit") == 0)
			die_mid_sample();
	}
	fclose(to_agent); /* the harness hung up: so does the agent */
	return NULL;
}

static void put_json(json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT);

	printf("%s\n", s);
	fflush(stdout);
	free(s);
}

static void long_line(const char *result)
{
	size_t len = strlen(result);

	/* the result itself, "pad" making it 10 MB: well-formed, only too long */
	fwrite(result, 1, len - 2, stdout); /* without "}\n" */
	fputs(",\"pad\":\"", stdout);
	for (size_t i = 0; i < LONG_LINE; i++)
		putchar('x');
	put("\"}\n");
}

/* The agent's result for the armed request, spoiled as FAULT says. */
static void spoil(const char *line, json_t *result)
{
	json_int_t id = json_integer_value(json_object_get(result, "id"));

	if (strcmp(fault, "longline") == 0) {
		long_line(line);
		return;
	}
	if (strcmp(fault, "badutf8") == 0) {
		/* a terminal title, a screen clear, bytes that are no UTF-8 */
		put("\x1b]0;owned\x07\x1b[2J\xff\xfe\xc3\x28\n");
		put("{\"op\":\"result\",\"bench\":\"\xff\xfe\xc3\x28\"}\n");
	}
	if (strcmp(fault, "unknownid") == 0) {
		json_t *stray = json_deep_copy(result);

		json_object_set_new(stray, "id", json_integer(id + 1000));
		json_object_set_new(stray, "bench", json_string("cpu.unasked"));
		put_json(stray);
		json_decref(stray);
	}
	if (strcmp(fault, "otherbench") == 0) /* faults.sh runs these two */
		json_object_set_new(result, "bench", json_string(strcmp(bench, "cpu.callret") ?
								 "cpu.callret" : "cpu.syscall"));
	if (strcmp(fault, "forged") == 0)
		json_array_append_new(json_object_get(json_object_get(result, "count"), "counters"),
				      json_pack("{s:s, s:s, s:s, s:i, s:s}", "source", "ebpf",
						"scope", "host", "name", "kvm.exit.svm.npf", "value",
						FORGED_VALUE, "unit", "exits"));
	put_json(result);
}

/* Agent -> harness: every line as it comes, but the armed result. */
static void upstream(void)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, from_agent) > 0) {
		json_t *msg = json_loads(line, 0, NULL);
		const char *op = json_string_value(json_object_get(msg, "op"));
		json_int_t id = json_integer_value(json_object_get(msg, "id"));

		if (op && strcmp(op, "hello") == 0 && strcmp(fault, "nohello") == 0)
			;
		else if (op && strcmp(op, "result") == 0 && id == atomic_load(&armed))
			spoil(line, msg);
		else
			put(line);
		json_decref(msg);
	}
}

int main(int argc, char **argv)
{
	const char *real = getenv("FAULT_REAL_AGENT");
	pthread_t t;

	if (!real || argc < 1) {
		fprintf(stderr, "fault-agent: set FAULT_REAL_AGENT\n");
		return 2;
	}
	argv[0] = (char *)real;
	if (!targeted()) {
		execv(real, argv);
		perror("fault-agent: exec");
		return 127;
	}
	fault = env("FAULT");
	bench = env("FAULT_BENCH");
	start_agent(real, argv);
	if (pthread_create(&t, NULL, downstream, NULL)) {
		fprintf(stderr, "fault-agent: cannot start a thread\n");
		return 1;
	}
	upstream();
	return 0;
}
