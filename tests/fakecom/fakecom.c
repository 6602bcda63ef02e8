/* COM pieces of the Offline Files stand-ins (fakecom.h). */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <windows.h>
#include <objbase.h>
#include <string.h>
#include <wchar.h>

#include "fakecom.h"

static fakecom_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, fakecom_factory, IClassFactory_iface);
}

static HRESULT STDMETHODCALLTYPE factory_QueryInterface(IClassFactory *iface, REFIID riid, void **ppv)
{
    if (!ppv)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *ppv = iface;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE factory_AddRef(IClassFactory *iface)
{
    (void)iface;
    return 2;
}

static ULONG STDMETHODCALLTYPE factory_Release(IClassFactory *iface)
{
    (void)iface;
    return 1;
}

static HRESULT STDMETHODCALLTYPE factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid,
                                                        void **ppv)
{
    fakecom_factory *This = impl_from_IClassFactory(iface);
    HRESULT hr;
    if (!ppv)
        return E_POINTER;
    *ppv = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    hr = IUnknown_QueryInterface(This->object, riid, ppv);
    if (This->created)
        This->created(hr);
    return hr;
}

static HRESULT STDMETHODCALLTYPE factory_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface, (void)lock;
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    factory_QueryInterface, factory_AddRef, factory_Release, factory_CreateInstance, factory_LockServer,
};

void fakecom_factory_init(fakecom_factory *f, IUnknown *object, void (*created)(HRESULT))
{
    f->IClassFactory_iface.lpVtbl = (IClassFactoryVtbl *)&factory_vtbl;
    f->object = object;
    f->created = created;
}

HRESULT fakecom_factory_register(fakecom_factory *f, REFCLSID clsid, DWORD clsctx, DWORD *cookie)
{
    return CoRegisterClassObject(clsid, (IUnknown *)&f->IClassFactory_iface, clsctx, REGCLS_MULTIPLEUSE, cookie);
}

HRESULT fakecom_strdup(const WCHAR *s, LPWSTR *out)
{
    size_t bytes;
    if (!out)
        return E_POINTER;
    bytes = (wcslen(s) + 1) * sizeof(WCHAR);
    *out = CoTaskMemAlloc(bytes);
    if (!*out)
        return E_OUTOFMEMORY;
    memcpy(*out, s, bytes);
    return S_OK;
}
