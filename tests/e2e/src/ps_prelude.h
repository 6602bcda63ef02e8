/* Forced include (-include) for compiling widl's proxy/stub output with MinGW.
 *
 * The test-only proxy/stub DLL lets the fake service call a sink in another
 * process through the Offline Files interfaces. widl's output assumes two
 * things MinGW's headers do not give a C compiler:
 *   - the RpcTryExcept/RpcExcept/... family expands to MSVC's __try/__except,
 *     which gcc rejects. Stubless (-Oicf) proxies leave exception handling to
 *     rpcrt4, so plain blocks are enough: the "except" branch never runs.
 *   - IUnknown_*_Proxy are declared for C++ only, but the proxy vtables name
 *     them in C.
 * This file only bridges those gaps; it adds no behaviour. */
#ifndef OFN_E2E_PS_PRELUDE_H
#define OFN_E2E_PS_PRELUDE_H

#include <rpc.h>
#include <unknwn.h>

#undef RpcTryExcept
#undef RpcExcept
#undef RpcEndExcept
#undef RpcTryFinally
#undef RpcFinally
#undef RpcEndFinally
#define RpcTryExcept {
#define RpcExcept(expr) } if (0) {
#define RpcEndExcept }
#define RpcTryFinally {
#define RpcFinally }
#define RpcEndFinally

#ifndef __cplusplus
HRESULT STDMETHODCALLTYPE IUnknown_QueryInterface_Proxy(IUnknown *This, REFIID riid, void **ppvObject);
ULONG STDMETHODCALLTYPE IUnknown_AddRef_Proxy(IUnknown *This);
ULONG STDMETHODCALLTYPE IUnknown_Release_Proxy(IUnknown *This);
#endif

#endif
