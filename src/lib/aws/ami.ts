/** The GPU hosts' machine image and the root volume it needs. */

/** Ubuntu 22.04 Base OSS NVIDIA driver GPU DLAMI (docker + NVIDIA container toolkit included). */
export const DLAMI_SSM_PARAMETER =
  '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id';

/**
 * Smallest root volume (GB) the DLAMI launches with. EC2 refuses a block-device mapping whose
 * volume is smaller than the AMI's snapshot ("volumeSize must be equal or greater than the size of
 * the snapshot"; the launch fails with InvalidBlockDeviceMapping), and the snapshot follows the
 * `latest` parameter. The DLAMI release notes list the volume type (gp3) but not the snapshot
 * size, so this is the size the EC2 console recommends for the Base DLAMI (100 GB); check the
 * current one with `aws ec2 describe-images --image-ids <id> --query
 * 'Images[0].BlockDeviceMappings[0].Ebs.VolumeSize'` (README, Troubleshooting).
 */
export const DLAMI_ROOT_SNAPSHOT_GB = 100;

/** Room for one version of a GPU server image on the host: compressed layers while pulling plus the extracted layers. */
export const GPU_IMAGE_ALLOWANCE_GB = 25;

/**
 * Default GPU root volume: the DLAMI snapshot plus two image versions, the one running and the one
 * a tag bump pulls before the old one is removed.
 */
export const DEFAULT_GPU_ROOT_VOLUME_GB = DLAMI_ROOT_SNAPSHOT_GB + 2 * GPU_IMAGE_ALLOWANCE_GB;

/** Smallest root volume a custom AMI is allowed (its snapshot size is unknown here). */
const OTHER_AMI_MIN_ROOT_GB = 30;

/** Smallest root volume (GB) to accept for the AMI an SSM parameter names. */
export function minimumRootVolumeGb(amiSsmParameter: string): number {
  return amiSsmParameter === DLAMI_SSM_PARAMETER ? DLAMI_ROOT_SNAPSHOT_GB : OTHER_AMI_MIN_ROOT_GB;
}

/** EBS gp3 volume size limit (GB). */
export const GP3_MAX_GB = 16384;
