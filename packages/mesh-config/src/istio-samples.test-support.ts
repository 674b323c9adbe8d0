// Bookinfo's reviews 90/10 split (samples/bookinfo/networking/virtual-service-reviews-90-10.yaml) and the
// reviews subsets of destination-rule-all.yaml, kept here so parse-yaml.test.ts and the fuzz targets need no
// outside files (istio-fixtures.test.ts reads the full set from ../shared/fixtures/istio when it is there).
// Test support only: `*.test-support.ts` is excluded from the package build.
export const REVIEWS_90_10 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 90
    - destination:
        host: reviews
        subset: v3
      weight: 10
`;
export const REVIEWS_SUBSETS = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v3
    labels:
      version: v3
`;
