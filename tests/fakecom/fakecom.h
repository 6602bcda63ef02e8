/* COM pieces the stand-ins for the Offline Files service share: the
 * end-to-end fake service (tests/e2e, a local server) and the Windows tests'
 * in-process stand-ins (tests/win) both link this one copy.
 *
 *   fakecom_factory  a class object that hands out one static object, the
 *                    way the real service serves one cache to every client
 *   fakecom_strdup   a string the caller frees with CoTaskMemFree, as every
 *                    [out] string of the Offline Files interfaces is */
#ifndef OFNOTIFY_TEST_FAKECOM_H
#define OFNOTIFY_TEST_FAKECOM_H

#include <windows.h>
#include <objbase.h>

typedef struct fakecom_factory {
    IClassFactory IClassFactory_iface;
    IUnknown *object;          /* what every CreateInstance is a QueryInterface on */
    void (*created)(HRESULT);  /* told what each CreateInstance answered, or NULL */
} fakecom_factory;

/* The factory is static like its object: its reference count is not kept. */
void fakecom_factory_init(fakecom_factory *f, IUnknown *object, void (*created)(HRESULT));

/* CoRegisterClassObject for clsid (REGCLS_MULTIPLEUSE) in the calling
 * thread's apartment; clsctx CLSCTX_LOCAL_SERVER or CLSCTX_INPROC_SERVER. */
HRESULT fakecom_factory_register(fakecom_factory *f, REFCLSID clsid, DWORD clsctx, DWORD *cookie);

/* *out: a CoTaskMemAlloc copy of s. E_POINTER without out, E_OUTOFMEMORY. */
HRESULT fakecom_strdup(const WCHAR *s, LPWSTR *out);

#endif
