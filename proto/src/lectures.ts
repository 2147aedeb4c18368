/** learning.lectures.v1 */
export {};
