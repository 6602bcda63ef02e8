/* e2e: how the control tool talks to the fake Offline Files service.
 *
 * One message-mode named pipe, one client at a time, one request and at most
 * one reply per connection. Requests are UTF-8 text; the first line is the
 * verb:
 *   "play\n" LINE...   play canonical scenario lines (scn_format), in order;
 *                      reply "ok played=N calls=C filtered=F failed=X
 *                      call_us=U us=T" (U: time inside sink calls,
 *                      T: the whole play, sleeps included) or
 *                      "error ..." (then nothing was played)
 *   "wait-sinks N MS"  reply "ok sinks=S" once at least N sinks are
 *                      advised, or "timeout sinks=S" after MS milliseconds
 *   "status"           reply "ok pid=P sinks=S"
 *   "restart"          no reply: the process exits at once, like a crash
 * A script never reaches the service unparsed: fakectl validates the whole
 * file first, so a bad line plays nothing. */
#ifndef OFN_E2E_PROTO_H
#define OFN_E2E_PROTO_H

/* The pipe lives in the throwaway prefix's wineserver only. */
#define FK_PIPE_NAME L"\\\\.\\pipe\\ofnotify-e2e-fakecsc"

/* The Windows service the fake runs as: the real Offline Files name, so the
 * app's service watch sees it stop and start. */
#define FK_SERVICE_NAME L"CscService"

/* A play request of the 1,000-pass burst is about 40 KB; this is far more
 * than any test needs and still small. */
#define FK_MAX_REQUEST (8u * 1024u * 1024u)
#define FK_MAX_REPLY 512u

/* Most commands one script may hold (the burst test plays 2,000); keeps the
 * memory of a mistaken or hostile script bounded on both sides. */
#define FK_MAX_COMMANDS 100000u

/* The log both programs append to: fakecsc.log beside the executables. */
#define FK_LOG_NAME L"fakecsc.log"

#endif
