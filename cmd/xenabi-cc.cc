/* SPDX-License-Identifier: MIT */
/*
 * xenabi-cc: clang kept alive between the probes of a scan.
 *
 * A scan compiles some fifty probes, and a clang process spends about as
 * long starting (mapping and relocating libLLVM and libclang-cpp, running
 * their constructors) as compiling one.  This program starts once per scan
 * worker and runs each request the way the clang program would: its own
 * driver, given the same command line, builds the cc1 job and runs it in
 * process, as clang's -fintegrated-cc1 does.  The objects and diagnostics
 * are clang's own; only the start-up is shared.
 *
 * It is started as "xenabi-cc PROTOCOL CLANG": PROTOCOL the version of the
 * requests below (a xenabi and a xenabi-cc of other builds may differ),
 * CLANG the real path of the clang program it stands for, which must be
 * the one it was built with (XENABI_CC_CLANG).  Otherwise it says so on
 * stderr, starting "xenabi-cc:", and exits with status 2.  Requests come
 * on stdin, answers go to stdout, all numbers in the machine's order:
 *
 *   request: u32 flags, u32 argc, then argc times (u32 length, bytes): a
 *            clang command line, argv[0] included.  Flag 1 (values): the
 *            command line parses only (-fsyntax-only); print what the
 *            compiler made of the constants probe's names (below).
 *   answer:  i32 exit status, i32 peak resident KiB of this process so
 *            far, u32 length of stderr, u32 length of stdout, then the
 *            bytes clang would have written to stderr and to stdout.
 *
 * End of input ends it.  A compile that crashes or runs out of memory
 * ends it too, with what it had to say on its own stderr, as the clang
 * process would have: the caller starts another for the next request.
 * Only xenabi runs it; it is no tool for people.
 *
 * Values: the constants probe (lib/consts.c) asks for each macro in an
 * enumerator (xa_vN, xa_tN, xa_xN of enum xa_values) or a char array
 * (xa_sN).  A form the compiler rejects fails the compile, and a process
 * learns the others' values only from a second compile without it.  Here
 * the front end's own values are printed instead, as it leaves them after
 * the errors, one line each for every name it accepted:
 *
 *   v NAME VALUE      an enumerator, VALUE its 64 bits in decimal
 *   s NAME LENGTH     a char array's string literal, then its LENGTH bytes
 *                     (to the first NUL) and a newline
 *
 * The caller takes a value only from a line the diagnostics do not name,
 * and compiles again when one it expected is missing.
 */
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticFrontend.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/CodeGen/ObjectFilePCHContainerOperations.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticBuffer.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "clang/FrontendTool/Utils.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Host.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

/* The requests' and answers' version: lib/ccsrv.c has the same. */
#define XENABI_CC_PROTOCOL "1"

/* What the compile being run has said so far. */
static std::string said;
/* Whether it prints the constants probe's values (request flag 1). */
static bool want_values;

/* The values of the constants probe, from its AST, whatever the errors. */
class values_consumer : public ASTConsumer {
public:
	void HandleTranslationUnit(ASTContext &ast) override
	{
		llvm::raw_ostream &out = llvm::outs();

		for (const Decl *d : ast.getTranslationUnitDecl()->decls()) {
			if (d->isInvalidDecl())
				continue;
			if (const auto *e = dyn_cast<EnumDecl>(d)) {
				if (e->getName() != "xa_values")
					continue;
				for (const EnumConstantDecl *c : e->enumerators())
					if (!c->isInvalidDecl())
						out << "v " << c->getName() << ' '
						    << c->getInitVal().getZExtValue()
						    << '\n';
			} else if (const auto *v = dyn_cast<VarDecl>(d)) {
				const StringLiteral *lit;

				if (!v->getName().startswith("xa_s") || !v->getInit() ||
				    !(lit = dyn_cast<StringLiteral>(
					      v->getInit()->IgnoreParenImpCasts())) ||
				    lit->getCharByteWidth() != 1)
					continue;
				StringRef bytes = lit->getBytes();
				bytes = bytes.substr(0, bytes.find('\0'));
				out << "s " << v->getName() << ' ' << bytes.size()
				    << '\n' << bytes << '\n';
			}
		}
	}
};

class values_action : public ASTFrontendAction {
protected:
	std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
						       StringRef) override
	{
		return std::make_unique<values_consumer>();
	}
};

/*
 * An error LLVM cannot go on from (in the back end, say): clang's cc1 says
 * it as a diagnostic and exits.  Here the exit ends the server, so what
 * was said goes to stderr first, where the caller looks when its server
 * is gone.
 */
static void fatal(void *data, const char *message, bool gen_crash_diag)
{
	DiagnosticsEngine &diags = *static_cast<DiagnosticsEngine *>(data);

	diags.Report(diag::err_fe_error_backend) << message;
	if (write(STDERR_FILENO, said.data(), said.size()) < 0)
		_exit(70);
	_exit(gen_crash_diag ? 70 : 1);
}

/* clang's cc1_main, less what a probe never asks for (time traces, -v). */
static int cc1(llvm::SmallVectorImpl<const char *> &argv)
{
	auto clang = std::make_unique<CompilerInstance>();
	IntrusiveRefCntPtr<DiagnosticIDs> ids(new DiagnosticIDs());
	IntrusiveRefCntPtr<DiagnosticOptions> opts = new DiagnosticOptions();
	auto *buffer = new TextDiagnosticBuffer;
	DiagnosticsEngine early(ids, &*opts, buffer);
	llvm::raw_string_ostream out(said);
	bool ok;

	llvm::cl::ResetAllOptionOccurrences();
	auto pch = clang->getPCHContainerOperations();
	pch->registerWriter(std::make_unique<ObjectFilePCHContainerWriter>());
	pch->registerReader(std::make_unique<ObjectFilePCHContainerReader>());
	ok = CompilerInvocation::CreateFromArgs(clang->getInvocation(),
						llvm::makeArrayRef(argv).slice(2),
						early, argv[0]);
	/*
	 * The driver asks cc1 not to free what it built, since the process
	 * ends anyway; this one goes on to the next probe.
	 */
	clang->getFrontendOpts().DisableFree = false;
	clang->getCodeGenOpts().DisableFree = false;
	clang->createDiagnostics(new TextDiagnosticPrinter(
		out, &clang->getDiagnosticOpts()));
	if (!clang->hasDiagnostics())
		return 1;
	llvm::install_fatal_error_handler(fatal, &clang->getDiagnostics());
	buffer->FlushDiagnostics(clang->getDiagnostics());
	if (ok && want_values) {
		values_action action;

		ok = clang->ExecuteAction(action);
	} else if (ok) {
		ok = ExecuteCompilerInvocation(clang.get());
	} else {
		clang->getDiagnosticClient().finish();
	}
	llvm::TimerGroup::clearAll();
	llvm::remove_fatal_error_handler();
	out.flush();
	return !ok;
}

/* clang's driver main for one command line: its exit status. */
static int compile(const std::string &clang_path,
		   std::vector<const char *> &args)
{
	llvm::raw_string_ostream out(said);
	IntrusiveRefCntPtr<DiagnosticOptions> opts =
		CreateAndPopulateDiagOpts(args);
	auto *client = new TextDiagnosticPrinter(out, &*opts);
	IntrusiveRefCntPtr<DiagnosticIDs> ids(new DiagnosticIDs());
	DiagnosticsEngine diags(ids, &*opts, client);
	int status = 1;

	/* The prefix clang gives its driver's messages: its own name. */
	client->setPrefix(std::string(llvm::sys::path::stem(clang_path)));
	ProcessWarningOptions(diags, *opts, /*ReportDiags=*/false);
	driver::Driver driver(clang_path, llvm::sys::getDefaultTargetTriple(),
			      diags);
	driver.setInstalledDir(llvm::sys::path::parent_path(clang_path));
	driver.CC1Main = cc1;
	std::unique_ptr<driver::Compilation> c(driver.BuildCompilation(args));
	if (c && !c->containsError()) {
		llvm::SmallVector<std::pair<int, const driver::Command *>, 4> failing;

		status = driver.ExecuteCompilation(*c, failing);
		for (const auto &f : failing)
			if (!status)
				status = f.first;
	}
	diags.getClient()->finish();
	out.flush();
	return status;
}

/* All of len bytes read from (or written to, out) fd. */
static bool whole(int fd, void *buf, size_t len, bool out)
{
	char *p = static_cast<char *>(buf);

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_all(void *buf, size_t len)
{
	return whole(STDIN_FILENO, buf, len, false);
}

static bool write_all(int fd, const void *buf, size_t len)
{
	return whole(fd, const_cast<void *>(buf), len, true);
}

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], XENABI_CC_PROTOCOL) ||
	    strcmp(argv[2], XENABI_CC_CLANG)) {
		fprintf(stderr, "xenabi-cc: built for protocol %s and %s, not "
			"%s and %s\n", XENABI_CC_PROTOCOL, XENABI_CC_CLANG,
			argc > 1 ? argv[1] : "(none)",
			argc > 2 ? argv[2] : "(none)");
		return 2;
	}
	std::string clang_path = argv[2];
	/* What a compile writes to stdout (a preprocessor's output) lands here. */
	int out_fd = memfd_create("xenabi-cc-stdout", MFD_CLOEXEC);
	int answer_fd = dup(STDOUT_FILENO);

	if (out_fd < 0 || answer_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
		return 2;
	/*
	 * A compile's memory stays for the next: pages the kernel maps anew
	 * (after a free gave them back) cost about as much as the start-up
	 * saved.  Its peak is the largest compile's, as a process's would be.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	llvm::InitializeAllTargets();
	llvm::InitializeAllTargetMCs();
	llvm::InitializeAllAsmPrinters();
	llvm::InitializeAllAsmParsers();
	for (;;) {
		std::vector<std::string> words;
		std::vector<const char *> args;
		std::string printed;
		struct rusage usage;
		uint32_t flags, n, len;
		int32_t head[4];
		off_t size;

		if (!read_all(&flags, sizeof(flags)))
			return 0;
		if (!read_all(&n, sizeof(n)) || n == 0 || n > 4096)
			return 2;
		want_values = flags & 1;
		for (uint32_t i = 0; i < n; i++) {
			if (!read_all(&len, sizeof(len)) || len > (1u << 20))
				return 2;
			words.emplace_back(len, '\0');
			if (len && !read_all(&words.back()[0], len))
				return 2;
		}
		for (const auto &w : words)
			args.push_back(w.c_str());
		said.clear();
		if (ftruncate(out_fd, 0) || lseek(out_fd, 0, SEEK_SET))
			return 2;
		head[0] = compile(clang_path, args);
		llvm::outs().flush();
		fflush(stdout);
		size = lseek(out_fd, 0, SEEK_CUR);
		if (size < 0 || size > INT32_MAX)
			return 2;
		printed.resize((size_t)size);
		if (size && pread(out_fd, &printed[0], (size_t)size, 0) != size)
			return 2;
		getrusage(RUSAGE_SELF, &usage);
		head[1] = (int32_t)usage.ru_maxrss;
		head[2] = (int32_t)said.size();
		head[3] = (int32_t)printed.size();
		if (!write_all(answer_fd, head, sizeof(head)) ||
		    !write_all(answer_fd, said.data(), said.size()) ||
		    !write_all(answer_fd, printed.data(), printed.size()))
			return 2;
	}
}
