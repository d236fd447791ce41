/** Shape of an AWS region name (`ap-northeast-2`, `us-gov-west-1`). */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
