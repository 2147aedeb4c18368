/** learning.activities.v1 */
export {};
