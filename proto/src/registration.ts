/** learning.registration.v1, one generated file per slice, seen as one namespace. */
export {};
